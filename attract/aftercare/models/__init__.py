"""Care after the sale: one module per concern, so that care plans and promises (care) and
departures, surveys and testimonials (why customers leave) grow side by side."""

from attract.aftercare.models.care_plans import (  # noqa: F401
    MISSED_AFTER_DAYS,
    CarePlan,
    CarePlanStep,
    CareStep,
    CustomerCare,
    Doer,
    StepState,
)
from attract.aftercare.models.customer_dates import PersonDate  # noqa: F401, E402
from attract.aftercare.models.customer_love import (  # noqa: F401, E402
    CustomerEvent,
    EventGuest,
    EventKind,
    Idea,
    IdeaStatus,
    Offer,
    OfferKind,
    OfferOutcome,
    Visit,
)
from attract.aftercare.models.departures import (  # noqa: F401
    IN_OUR_CONTROL,
    PLAIN_WORDS,
    PUBLISHED,
    Control,
    Departure,
    Reason,
    WouldReturn,
    control_of,
)
from attract.aftercare.models.experiences import Experience, Feeling  # noqa: F401
from attract.aftercare.models.promises import (  # noqa: F401
    DealExpectation,
    KeptFigure,  # noqa: F401, E402
    Promise,
    PromiseOutcome,
)
from attract.aftercare.models.purchases import PurchaseSummary  # noqa: F401, E402
from attract.aftercare.models.surveys import SurveyLink, SurveyVisit  # noqa: F401
from attract.aftercare.models.testimonials import (  # noqa: F401
    CaseStudy,
    Consent,
    Testimonial,
)
