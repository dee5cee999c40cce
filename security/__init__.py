"""Site hardening shared by every feature: client addresses behind proxies, rate limits, staff
two-factor enrolment, the admin's own host and response headers. A small core: imports no feature app."""
