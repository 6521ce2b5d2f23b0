# Faults found under test (issue 12): timeouts, encodings, dates in the past, outages.
error-timeout-title = Sending took too long
error-timeout-body = What you sent did not arrive in time. Check your connection and try again.
