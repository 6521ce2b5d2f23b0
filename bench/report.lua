-- wrk reporting hook for bench/run.sh.
--
-- wrk calls done() once, after the run, with the aggregated statistics.
-- Latencies are in microseconds, summary.duration too. We print a single
-- line starting with "BENCH " made of key=value pairs that run.sh parses.
--
-- Note: wrk counts every response with a status >= 400 in
-- summary.errors.status (3xx are not errors for wrk; run.sh checks the
-- status of each route with curl before measuring).

done = function(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  local rps = 0
  if seconds > 0 then
    rps = summary.requests / seconds
  end
  local socket_errors = e.connect + e.read + e.write + e.timeout
  io.write(string.format(
    "BENCH requests=%d duration_s=%.3f rps=%.2f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f status_errors=%d socket_errors=%d bytes=%d\n",
    summary.requests,
    seconds,
    rps,
    latency:percentile(50) / 1000,
    latency:percentile(90) / 1000,
    latency:percentile(99) / 1000,
    latency.max / 1000,
    e.status,
    socket_errors,
    summary.bytes
  ))
end
