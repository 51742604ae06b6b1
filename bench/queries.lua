-- wrk: rotate through the benchmark's query paths, with the member's bearer token.
local paths = {}
local token = os.getenv("BENCH_TOKEN") or ""
for line in io.lines(os.getenv("BENCH_PATHS")) do table.insert(paths, line) end
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i], { ["Authorization"] = "Bearer " .. token })
end
