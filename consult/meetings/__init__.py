"""Meetings: scheduling with notice, RSVPs within capacity, notes through review to publication, actions, calendars."""
