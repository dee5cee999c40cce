-- wrk script: POST a JSON consent choice, as the banner's "Accept all" does, and count the answers.
-- Usage: wrk -s bench/consent_post.lua http://127.0.0.1:PORT/consent/ -- <registry_version> <origin> <keys>
-- <keys>: the optional categories, comma-separated (accept_all must grant every one of them).
-- Prints "BENCH_2XX n" and "BENCH_OTHER n" at the end, summed over all threads.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local version = args[1] or "1"
  local origin = args[2] or "http://127.0.0.1"
  ok_responses = 0
  other_responses = 0
  local granted = {}
  for key in string.gmatch(args[3] or "", "[^,]+") do
    table.insert(granted, '"' .. key .. '"')
  end
  local body = '{"action": "accept_all", "granted": [' .. table.concat(granted, ", ") .. '], '
    .. '"registry_version": ' .. version .. '}'
  local headers = {
    ["Content-Type"] = "application/json",
    ["Accept"] = "application/json",
    ["Origin"] = origin,
    ["Sec-Fetch-Site"] = "same-origin",
  }
  prepared = wrk.format("POST", nil, headers, body)
end

function request()
  return prepared
end

function response(status, headers, body)
  if status >= 200 and status < 300 then
    ok_responses = ok_responses + 1
  else
    other_responses = other_responses + 1
  end
end

function done(summary, latency, requests)
  local ok, other = 0, 0
  for _, thread in ipairs(threads) do
    ok = ok + thread:get("ok_responses")
    other = other + thread:get("other_responses")
  end
  io.write(string.format("BENCH_2XX %d\nBENCH_OTHER %d\n", ok, other))
end
