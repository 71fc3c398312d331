"""Every feature's models, imported in one place for Alembic and mapper configuration."""

from consult.accounts.models import (  # noqa: F401
    MailLog,
    Organisation,
    OrganisationClaim,
    RoleGrant,
    SignInAttempt,
    User,
)
from consult.db import Base  # noqa: F401
from consult.pages.models import ContentPage  # noqa: F401
