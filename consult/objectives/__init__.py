"""Draft public service delivery objectives: the Act's checklist, versions, lifecycle, review and consultation."""
