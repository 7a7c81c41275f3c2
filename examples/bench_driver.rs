//! Benchmark driver for MCP servers over stdio: spawns the server command given after `--`,
//! does the `initialize` handshake in raw newline-delimited JSON-RPC on the child's stdin/stdout
//! (no MCP client library, so only the server is measured), then calls `tools/call add`
//! sequentially (one request in flight) and pipelined (all requests written, then all answers
//! read), and prints calls/s and latency p50/p99 for each. `--cold-start` instead stops at the
//! first `initialize` response, for `hyperfine`. Used by `scripts/bench/stdio.sh` and
//! `scripts/bench/startup.sh` (see BENCHMARKS.md).
//!
//! ```text
//! cargo build --release --features bench --example bench_driver --example bench_ours
//! target/release/examples/bench_driver --calls 5000 -- target/release/examples/bench_ours
//! target/release/examples/bench_driver --cold-start -- target/release/examples/bench_ours
//! ```

use std::{
    io::{BufRead, BufReader, BufWriter, Write},
    process::{Child, ChildStdin, ChildStdout, Command, Stdio},
    time::{Duration, Instant},
};

use serde_json::Value;

const USAGE: &str = "usage: bench_driver [--calls N] [--warmup N] [--cold-start] -- SERVER [ARGS...]";

struct Options {
    calls: usize,
    warmup: usize,
    cold_start: bool,
    command: Vec<String>,
}

fn parse_options() -> Result<Options, String> {
    let mut options = Options { calls: 5000, warmup: 500, cold_start: false, command: Vec::new() };
    let mut words = std::env::args().skip(1);
    while let Some(word) = words.next() {
        let mut number = |name: &str| -> Result<usize, String> {
            let value = words.next().ok_or(format!("{name} needs a value"))?;
            value.parse().map_err(|error| format!("bad {name} {value:?}: {error}"))
        };
        match word.as_str() {
            "--calls" => options.calls = number("--calls")?,
            "--warmup" => options.warmup = number("--warmup")?,
            "--cold-start" => options.cold_start = true,
            "--" => {
                options.command = words.collect();
                break;
            }
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    if options.command.is_empty() {
        return Err(USAGE.into());
    }
    Ok(options)
}

/// The server under test, spoken to in newline-delimited JSON-RPC.
struct Server {
    child: Child,
    input: BufWriter<ChildStdin>,
    output: BufReader<ChildStdout>,
    line: String,
}

impl Server {
    fn spawn(command: &[String]) -> Result<Self, String> {
        let mut child = Command::new(&command[0])
            .args(&command[1..])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|error| format!("cannot start {:?}: {error}", command[0]))?;
        let input = BufWriter::new(child.stdin.take().ok_or("no stdin")?);
        let output = BufReader::new(child.stdout.take().ok_or("no stdout")?);
        Ok(Self { child, input, output, line: String::new() })
    }

    fn send(&mut self, message: &str) -> Result<(), String> {
        writeln!(self.input, "{message}").and_then(|()| self.input.flush()).map_err(|error| format!("write: {error}"))
    }

    fn response(&mut self) -> Result<Value, String> {
        next_response(&mut self.output, &mut self.line)
    }

    fn initialize(&mut self) -> Result<Value, String> {
        self.send(INITIALIZE)?;
        let response = self.response()?;
        if response.get("result").is_none() {
            return Err(format!("initialize failed: {response}"));
        }
        Ok(response)
    }

    /// Closes stdin and gives the server 5 s to exit on its own, as a client expects.
    fn close(self) -> Result<(), String> {
        let Self { mut child, input, .. } = self;
        drop(input);
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if child.try_wait().map_err(|error| error.to_string())?.is_some() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = child.kill();
        let _ = child.wait();
        Err("the server did not exit within 5 s of stdin closing".into())
    }
}

const INITIALIZE: &str = r#"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"bench-driver","version":"0"}}}"#;
const INITIALIZED: &str = r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#;

fn call(id: usize) -> String {
    format!(
        r#"{{"jsonrpc":"2.0","id":{id},"method":"tools/call","params":{{"name":"add","arguments":{{"a":{id},"b":1}}}}}}"#
    )
}

/// Checks that `response` answers call `id` with the sum, in structured content or in text.
fn check(response: &Value, id: usize) -> Result<(), String> {
    let wrong = || format!("unexpected answer to call {id}: {response}");
    if response["id"].as_u64() != Some(id as u64) {
        return Err(wrong());
    }
    let result = &response["result"];
    let expected = id as i64 + 1;
    let structured = result["structuredContent"]["result"].as_i64();
    let text = result["content"][0]["text"].as_str().unwrap_or_default();
    if result["isError"].as_bool() == Some(true)
        || (structured != Some(expected) && !text.contains(&expected.to_string()))
    {
        return Err(wrong());
    }
    Ok(())
}

struct Stats {
    calls_per_second: f64,
    p50: Duration,
    p99: Duration,
}

fn stats(mut latencies: Vec<Duration>, elapsed: Duration) -> Stats {
    latencies.sort_unstable();
    let at = |quantile: f64| latencies[((latencies.len() - 1) as f64 * quantile).round() as usize];
    Stats { calls_per_second: latencies.len() as f64 / elapsed.as_secs_f64(), p50: at(0.50), p99: at(0.99) }
}

/// The CPU time (user + system) process `pid` has used so far, from `/proc/PID/stat` (Linux;
/// none elsewhere): what the server spent, however busy the rest of the machine was.
fn cpu_time(pid: u32) -> Option<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the parenthesised command name: state is the first, utime the 12th.
    let mut fields = stat.rsplit_once(") ")?.1.split(' ').skip(11);
    let ticks: u64 = fields.next()?.parse::<u64>().ok()? + fields.next()?.parse::<u64>().ok()?;
    // /proc counts in USER_HZ, which the kernel's ABI fixes at 100 on Linux.
    Some(Duration::from_millis(ticks * 10))
}

/// One request in flight at a time, as a chat client calls tools. Ids start at `first`.
fn sequential(server: &mut Server, first: usize, calls: usize) -> Result<Stats, String> {
    let mut latencies = Vec::with_capacity(calls);
    let start = Instant::now();
    for id in first..first + calls {
        let sent = Instant::now();
        server.send(&call(id))?;
        check(&server.response()?, id)?;
        latencies.push(sent.elapsed());
    }
    Ok(stats(latencies, start.elapsed()))
}

/// Every request written (by a thread, so neither pipe can fill up and deadlock) while the
/// answers are read; a latency is from writing a request to reading its answer.
fn pipelined(server: &mut Server, first: usize, calls: usize) -> Result<Stats, String> {
    let requests: Vec<String> = (first..first + calls).map(call).collect();
    let start = Instant::now();
    let (sent, received) = std::thread::scope(|scope| {
        let input = &mut server.input;
        let writer = scope.spawn(move || -> Result<Vec<Instant>, String> {
            let mut sent = Vec::with_capacity(requests.len());
            for request in &requests {
                sent.push(Instant::now());
                writeln!(input, "{request}").map_err(|error| format!("write: {error}"))?;
            }
            input.flush().map_err(|error| format!("write: {error}"))?;
            Ok(sent)
        });
        let mut received = vec![None; calls];
        let mut reading = || -> Result<(), String> {
            for _ in 0..calls {
                let response = next_response(&mut server.output, &mut server.line)?;
                let id = response["id"].as_u64().ok_or_else(|| format!("answer without id: {response}"))? as usize;
                check(&response, id)?;
                let slot = received.get_mut(id.wrapping_sub(first)).ok_or_else(|| format!("unexpected id {id}"))?;
                *slot = Some(Instant::now());
            }
            Ok(())
        };
        let read = reading();
        let sent = writer.join().map_err(|_| "the writer panicked".to_string())??;
        read.map(|()| (sent, received))
    })?;
    let elapsed = start.elapsed();
    let latencies = sent
        .into_iter()
        .zip(received)
        .map(|(sent, received)| received.map(|received| received - sent).ok_or("an answer is missing"))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(stats(latencies, elapsed))
}

/// The next response (a message with an `id`), skipping the server's notifications; a free
/// function so that `pipelined` can read while its writer thread holds the server's stdin.
fn next_response(output: &mut BufReader<ChildStdout>, line: &mut String) -> Result<Value, String> {
    loop {
        line.clear();
        if output.read_line(line).map_err(|error| format!("read: {error}"))? == 0 {
            return Err("the server closed stdout".into());
        }
        let message: Value = serde_json::from_str(line).map_err(|error| format!("not JSON ({error}): {line:?}"))?;
        if message.get("id").is_some() && message.get("method").is_none() {
            return Ok(message);
        }
    }
}

fn run(options: &Options) -> Result<(), String> {
    let mut server = Server::spawn(&options.command)?;
    if options.cold_start {
        // Spawn to first answer is the measurement; the exit is not, so the server is killed.
        let answer = server.initialize();
        let _ = server.child.kill();
        let _ = server.child.wait();
        return answer.map(drop);
    }
    server.initialize()?;
    server.send(INITIALIZED)?;
    sequential(&mut server, 1, options.warmup)?;
    let pid = server.child.id();
    let mut first = 1 + options.warmup;
    let cpu_start = cpu_time(pid);
    let sequential_stats = sequential(&mut server, first, options.calls)?;
    let cpu_middle = cpu_time(pid);
    first += options.calls;
    let pipelined_stats = pipelined(&mut server, first, options.calls)?;
    let cpu_end = cpu_time(pid);
    let cpu_per_call = |from: Option<Duration>, to: Option<Duration>| match (from, to) {
        (Some(from), Some(to)) => format!("{:.1}", (to - from).as_secs_f64() * 1e6 / options.calls as f64),
        _ => "unknown".into(),
    };
    let modes = [
        ("sequential", sequential_stats, cpu_per_call(cpu_start, cpu_middle)),
        ("pipelined", pipelined_stats, cpu_per_call(cpu_middle, cpu_end)),
    ];
    for (mode, stats, cpu) in modes {
        println!(
            "mode={mode} calls={} calls_per_s={:.0} p50_us={:.1} p99_us={:.1} cpu_us_per_call={cpu}",
            options.calls,
            stats.calls_per_second,
            stats.p50.as_secs_f64() * 1e6,
            stats.p99.as_secs_f64() * 1e6
        );
    }
    server.close()
}

fn main() -> std::process::ExitCode {
    match parse_options().and_then(|options| run(&options)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("bench_driver: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
