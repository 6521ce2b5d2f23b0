-- wrk script of the mixed run (bench/run.sh): cycles through the paths of
-- the file named by BENCH_URLS (one per line, see mixed_urls.py), each
-- thread starting at its own offset, so the connections ask for many
-- different pages at once, as real visitors do. report.lua's done() is
-- appended by run.sh.

local mixed_threads = 0
local paths = {}
local at = 0

setup = function(thread)
  mixed_threads = mixed_threads + 1
  thread:set("mixed_tid", mixed_threads)
  thread:set("mixed_count", 0)
end

init = function(args)
  local file = assert(io.open(os.getenv("BENCH_URLS"), "r"))
  for line in file:lines() do
    if #line > 0 then
      paths[#paths + 1] = line
    end
  end
  file:close()
  -- Threads start far apart in the list (golden-ratio spacing), so two
  -- threads do not ask for the same pages at the same time.
  at = math.floor(((mixed_tid or 1) - 1) * 0.618034 * #paths) % #paths
end

request = function()
  at = at % #paths + 1
  return wrk.format("GET", paths[at])
end
