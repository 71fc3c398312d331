"""A person's start page ("Your consult") and what they can do now in a process."""
