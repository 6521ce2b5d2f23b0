# Faults found under test (issue 12): timeouts, encodings, dates in the past, outages.
error-timeout-title = Sending took too long
error-timeout-body = What you sent did not arrive in time. Check your connection and try again.
ws-date-past = This date has already passed: a session is planned for a date and time to come.
ws-date-too-far = This date is too far ahead: a session is planned at most { $limit } years in advance. Check the year.
error-encoding-title = Unreadable characters
error-encoding-body = The field “{ $field }” holds characters that are not valid UTF-8: nothing was saved. Type this text again (rather than pasting it from old software) and send the form again.
dir-claim-kept-help = Someone already keeps this card. Your request does not hand it to you directly: the programme team checks it with you and with the current keeper before deciding.
dir-claim-sent-kept = Request sent to the programme team: as someone already keeps this card, they will check your request with them before deciding.
dir-admin-claim-kept = { $count ->
    [one] Card already kept by { $count } member: check with them before accepting (accepting adds a member and keeps the current one).
   *[other] Card already kept by { $count } members: check with them before accepting (accepting adds a member and keeps the current ones).
}
csv-too-large = { $limit ->
    [one] The file is too large: the limit is { $limit } MB. Split it into several files and import them one after the other.
   *[other] The file is too large: the limit is { $limit } MB. Split it into several files and import them one after the other.
}
kept-form-notice = The service is briefly unavailable: nothing has been saved yet. What you typed is kept below; send it again in a few moments.
kept-form-password = For your safety, passwords are not kept: type them again below.
kept-form-retry = Send again
