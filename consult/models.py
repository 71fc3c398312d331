"""Every feature's models, imported in one place for Alembic and mapper configuration."""

from consult.accounts.models import (  # noqa: F401
    MailLog,
    Organisation,
    OrganisationClaim,
    RoleGrant,
    SignInAttempt,
    User,
    UserSession,
)
from consult.agreement.models import (  # noqa: F401
    AnalysisCache,
    Mediation,
    MediationFlag,
    Outcome,
    Statement,
    Vote,
    VoteEvent,
    Voter,
)
from consult.db import Base  # noqa: F401
from consult.discussions.models import (  # noqa: F401
    Comment,
    CommentRevision,
    IssueStatusChange,
    SummaryRevision,
    Thread,
)
from consult.jobs.models import FailedJob  # noqa: F401
from consult.meetings.models import (  # noqa: F401
    Meeting,
    MeetingAction,
    MeetingPaper,
    NoteComment,
    Rsvp,
)
from consult.moderation.models import ModerationAction, Report  # noqa: F401
from consult.notifications.models import Follow, Notification, NotificationDigest  # noqa: F401
from consult.objectives.models import (  # noqa: F401
    BoardRecommendation,
    ConsulteeReply,
    CriterionAssessment,
    ObjectiveInForce,
    Proposal,
    ProposalVersion,
    SpecifiedPerson,
    Transition,
)
from consult.pages.models import ContentPage  # noqa: F401
from consult.papers.models import NamingConsent, Paper, PaperComment, PaperEvent, PaperVersion  # noqa: F401
from consult.posting.models import SubmissionToken  # noqa: F401
from consult.processes.models import Membership, Process, Stage, WorkingGroup  # noqa: F401
from consult.provenance.models import StatementSource  # noqa: F401
from consult.search.models import SearchQueueEntry  # noqa: F401
