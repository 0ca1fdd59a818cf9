"""Every write of data protection, one module per topic:
- retention: the schedules and the daily scan;
- destruction: approval, then destroy or anonymise, with the anonymous log;
- holds: legal holds;
- requests: subject access requests, and bundle: their PDF and CSV bundle;
- rights: erasure of an applicant, and corrections with history."""
