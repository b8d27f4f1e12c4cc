"""The metrics app's models, one module per subject, all importable from here."""

from metrics.models.business import (
    CODE_PATTERN,
    MONTH_CHOICES,
    Business,
    Currency,
    CustomFigure,
    CustomKpi,
    SalesChannel,
    StartStep,
    TrackedKpi,
    business_write,
    businesses_touch,
    in_business_write,
    new_revision,
    validate_code,
    validate_first_of_month,
)
from metrics.models.comments import (
    Comment,
    CommentRead,
)
from metrics.models.entries import (
    Entry,
    ReminderSent,
)
from metrics.models.goals import (
    Goal,
    Target,
)
from metrics.models.imports import (
    ImportMapping,
    StoredUpload,
)
from metrics.models.matching import (
    PoolInvitation,
    PoolMentor,
    Proposal,
)
from metrics.models.mentoring import (
    Invitation,
    Mentorship,
    MentorshipEvent,
)
from metrics.models.programmes import (
    Cohort,
    CohortMembership,
    Consent,
    Coordinator,
    CoordinatorInvitation,
    Programme,
)
from metrics.models.reviews import (
    QuarterlyReview,
)
from metrics.models.summaries import (
    BusinessMonth,
    LoggedMonths,
)

__all__ = [
    "CODE_PATTERN",
    "MONTH_CHOICES",
    "Business",
    "BusinessMonth",
    "Cohort",
    "CohortMembership",
    "Comment",
    "CommentRead",
    "Consent",
    "Coordinator",
    "CoordinatorInvitation",
    "Currency",
    "CustomFigure",
    "CustomKpi",
    "Entry",
    "Goal",
    "ImportMapping",
    "Invitation",
    "LoggedMonths",
    "Mentorship",
    "MentorshipEvent",
    "PoolInvitation",
    "PoolMentor",
    "Programme",
    "Proposal",
    "QuarterlyReview",
    "ReminderSent",
    "SalesChannel",
    "StartStep",
    "StoredUpload",
    "Target",
    "TrackedKpi",
    "business_write",
    "businesses_touch",
    "in_business_write",
    "new_revision",
    "validate_code",
    "validate_first_of_month",
]
