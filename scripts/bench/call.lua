-- wrk script for scripts/bench/http.sh: POSTs a JSON-RPC `tools/call add` with the headers an
-- MCP client sends (and the session id from the environment, in session mode), checks every
-- response (status 200 and the sum in the body), and prints one machine-readable RESULT line.
-- Non-200 and wrong bodies are counted as errors, never dropped. Every request has its own
-- JSON-RPC id: within a session ids must be unique, and servers route each answer to the HTTP
-- response waiting for its id, so a shared id leaves all but one concurrent request hanging.

local session = os.getenv("MCP_SESSION_ID")
-- The tool to call: `add`, or what a hub serves it as (`bench_add`, scripts/bench/hub.sh).
local tool = os.getenv("MCP_TOOL") or "add"
wrk.method = "POST"
wrk.path = "/mcp"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json, text/event-stream"
wrk.headers["MCP-Protocol-Version"] = "2025-11-25"
if session and session ~= "" then
  wrk.headers["Mcp-Session-Id"] = session
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("next_id", #threads * 1000000000)
end

function init(args)
  non200 = 0
  wrong = 0
  first_error = ""
end

function request()
  next_id = next_id + 1
  return wrk.format(nil, nil, nil,
    '{"jsonrpc":"2.0","id":' .. next_id .. ',"method":"tools/call","params":{"name":"' .. tool .. '","arguments":{"a":2,"b":40}}}')
end

function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
    if first_error == "" then first_error = status .. " " .. string.sub(body or "", 1, 200) end
  elseif not string.find(body, '"result":42', 1, true) then
    wrong = wrong + 1
    if first_error == "" then first_error = "200 " .. string.sub(body or "", 1, 200) end
  end
end

function done(summary, latency, requests)
  local non200_total, wrong_total, first = 0, 0, ""
  for _, thread in ipairs(threads) do
    non200_total = non200_total + thread:get("non200")
    wrong_total = wrong_total + thread:get("wrong")
    local e = thread:get("first_error")
    if first == "" and e ~= "" then first = e end
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.3f p50_us=%d p99_us=%d non200=%d wrong=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(99),
    non200_total, wrong_total, e.connect, e.read, e.write, e.timeout))
  if first ~= "" then
    io.write("FIRST_ERROR " .. string.gsub(first, "\n", "\\n") .. "\n")
  end
end
