"""The reads of the reports app, one module per topic (what a view, a job or the portal
asks): common, scheme_report, dashboard, exports, lac. Each name is also here, so that
`from reports import selectors` reads as before."""

from reports.selectors.common import (  # noqa: F401
    HEADLINE_GOAL_PERCENT,
    SUPPRESS_BELOW,
    Median,
    _round,
    can_see_reports,
    day_start,
    days_between,
    hours_between,
    monitoring_rows,
    period_bounds,
    report_schemes,
    report_scope,
    suppressed,
)
from reports.selectors.dashboard import (  # noqa: F401
    Dashboard,
    _claims_to_approve,
    _missing_checkouts,
    _reviews_due,
    chart,
    dashboard,
    dashboard_context,
)
from reports.selectors.exports import (  # noqa: F401
    caseload_export_rows,
    export_get_for_user,
    exports_of,
)
from reports.selectors.lac import (  # noqa: F401
    lac_match_get,
    lac_summaries,
    lac_summary_get,
    lac_visits,
)
from reports.selectors.scheme_report import (  # noqa: F401
    Report,
    caseload_figures,
    complaint_figures,
    expense_figures,
    headline,
    match_figures,
    monitoring_figures,
    month_starts,
    referral_figures,
    report_csv_rows,
    safeguarding_figures,
    scheme_report,
    visits_and_contact,
    volunteer_figures,
)
