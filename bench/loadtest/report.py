"""The figures of a `make loadtest` run from Locust's CSV files: requests per second and
p50/p95/p99 per request, errors by status, and the claims list's throughput against its floor."""

import csv
import sys


def main(stats_path: str, failures_path: str) -> None:
    with open(stats_path) as f:
        rows = [r for r in csv.DictReader(f) if r["Name"] != "Aggregated"]
    print(f"{'request':44} {'count':>7} {'rps':>7} {'p50':>6} {'p95':>6} {'p99':>6} {'fail':>5}")
    by_name = {}
    for r in rows:
        by_name[r["Name"]] = r
        print(
            f"{r['Name'][:44]:44} {r['Request Count']:>7} {float(r['Requests/s']):7.1f} "
            f"{r['50%']:>6} {r['95%']:>6} {r['99%']:>6} {r['Failure Count']:>5}"
        )
    print("(times in ms)")
    with open(failures_path) as f:
        failures = list(csv.DictReader(f))
    if failures:
        print("errors:")
        for r in failures:
            print(f"  {r['Occurrences']:>6} × {r['Method']} {r['Name']}: {r['Error'][:120]}")
    else:
        print("errors: none")
    pair = by_name.get("pair: claims list (desk)"), by_name.get("pair: floor (.values() + orjson)")
    if all(pair):
        # The pair runs in turn in one user, so the ratio of their mean times is their throughput
        # ratio on this server in this run.
        ratio = float(pair[1]["Average Response Time"]) / float(pair[0]["Average Response Time"])
        print(f"claims list throughput ÷ floor's: {ratio:.2f} (target ≥ 0.9)")


if __name__ == "__main__":
    main(*sys.argv[1:3])
