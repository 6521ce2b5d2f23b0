-- wrk script of the registration run (bench/run.sh): every request is a
-- POST /api/v1/workshops/{id}/registrations with a new e-mail address,
-- round-robin over the session ids listed (comma-separated) in
-- BENCH_REG_SESSIONS, authenticated by the API token in BENCH_REG_TOKEN.
-- report.lua's done() is appended by run.sh.

local reg_threads = 0
local sessions = {}
local n = 0

setup = function(thread)
  reg_threads = reg_threads + 1
  thread:set("reg_tid", reg_threads)
end

init = function(args)
  for id in string.gmatch(os.getenv("BENCH_REG_SESSIONS"), "%d+") do
    sessions[#sessions + 1] = id
  end
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_REG_TOKEN")
  n = 0
end

request = function()
  n = n + 1
  local who = string.format("%d-%d", reg_tid or 1, n)
  local body = string.format(
    '{"name":"Personne %s","email":"personne%s@bench.example","business_name":"Entreprise %s"}',
    who, who, who)
  return wrk.format("POST", "/api/v1/workshops/" .. sessions[n % #sessions + 1] .. "/registrations", nil, body)
end
