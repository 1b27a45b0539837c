"""Benchmark workload: prints one line at once, so launch → first output measures a session's fixed cost."""
print("ready", flush=True)
