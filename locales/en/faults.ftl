# Faults found under test (issue 12): timeouts, encodings, dates in the past, outages.
error-timeout-title = Sending took too long
error-timeout-body = What you sent did not arrive in time. Check your connection and try again.
ws-date-past = This date has already passed: a session is planned for a date and time to come.
ws-date-too-far = This date is too far ahead: a session is planned at most { $limit } years in advance. Check the year.
error-encoding-title = Unreadable characters
error-encoding-body = The field “{ $field }” holds characters that are not valid UTF-8: nothing was saved. Type this text again (rather than pasting it from old software) and send the form again.
