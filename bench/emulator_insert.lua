-- wrk script for bench/emulator_bench.sh: POSTs 300-record BYOT inserts in
-- which every token is unique (so every request stores 300 new records, as a
-- real load does), at a cost to wrk of one table.concat per request: the
-- body is a fixed template joined by a per-request prefix.
local records_per_request = tonumber(os.getenv("BENCH_RECORDS") or "300")
local path = os.getenv("BENCH_PATH") or "/v1/vaults/bench/ssn"
local token = os.getenv("BENCH_TOKEN") or "bench-token"
local threads = {}
local pieces = {}
local prefix = ""
local counter = 0

function setup(thread)
  thread:set("thread_index", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  prefix = "w" .. thread_index .. "-"
  -- Record i is {"fields":{"ssn":"123-45-<i>"},"tokens":{"ssn":"tok-<P>-<i>"}}
  -- where <P>, the request's unique prefix, is the join separator: piece i
  -- ends record i-1's token and starts record i's.
  local function value(i) return string.format("123-45-%04d", i % 10000) end
  pieces[1] = '{"records":[{"fields":{"ssn":"' .. value(1) .. '"},"tokens":{"ssn":"tok-'
  for i = 2, records_per_request do
    pieces[i] = string.format('-%d"}},{"fields":{"ssn":"%s"},"tokens":{"ssn":"tok-', i - 1, value(i))
  end
  pieces[records_per_request + 1] = string.format('-%d"}}],"byot":"ENABLE"}', records_per_request)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. token
end

function request()
  counter = counter + 1
  return wrk.format(nil, path, nil, table.concat(pieces, prefix .. counter))
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local failed = summary.errors.status + summary.errors.connect + summary.errors.read +
                 summary.errors.write + summary.errors.timeout
  local answered = summary.requests - failed
  io.write(string.format("requests %d, failed %d, seconds %.2f\n", summary.requests, failed, seconds))
  io.write(string.format("RECORDS_PER_SECOND %d\n", answered * records_per_request / seconds))
  io.write(string.format("p50 latency ms %.2f, p99 latency ms %.2f\n",
                         latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
