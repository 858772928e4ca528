"""mt_eval vs the sacrebleu CLI: time and peak memory, same data, one run.

Usage::

    python bench/score_bench.py            # a few minutes
    python bench/score_bench.py --full     # also sacrebleu TER on 100k (~5-10 min more)
    python bench/score_bench.py --sizes 10000 --no-scaling --no-dask   # quick look
    python bench/score_bench.py --sizes 10000 100000 --metrics chrF2 chrF2++ --ci BLEU \
        --no-scaling --no-dask --repeat 3      # only some rows; best of 3 runs each

Data: WMT14 newstest2014 (``../shared/data/wmt14-newstest-fr-en``), both
directions, every system, concatenated (system 1 of fr-en, system 1 of en-fr,
system 2 of fr-en, ...) and cut to N segments, so that a 10k corpus holds ten
distinct system/reference pairings of real segments; 100k and 1M repeat the
63k distinct pairings.  Neither tool deduplicates segments (sacrebleu's
tokenizers and ours keep an LRU cache of 65k lines, the same for both).

Each measurement is one fresh process running the real command line
(``sacrebleu REF -i HYP -m ...`` and ``python -m mt_eval score --hyp HYP
--ref REF -m ... --no-cache``), timed from start to exit (so start-up and
reading the files count) with CPU time of the process and all its children.
Peak memory is the largest sum, over samples every 20 ms, of the
proportional set size (PSS) of the process tree (forked workers share pages
with their parent; PSS counts a shared page once across the processes), the
same method for both tools; sacrebleu's own max RSS is printed beside it to
show the sampling is faithful.  Every score (and the bootstrap mean and
half-width) is compared with sacrebleu's to 10 decimals and signatures must
be equal; the bench stops with an error otherwise.

The machine may be shared: the load average is printed; CPU seconds are
the less noisy figure, wall seconds the one a user waits for.  With
``--repeat N`` each command runs N times, alternating the two tools, and
each figure is the best of the N (the usual way to time on a busy machine).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from shared_data import WMT14 as DATA  # noqa: E402
PY = sys.executable
SACREBLEU = [PY, "-m", "sacrebleu"]
MTEVAL = [PY, "-m", "mt_eval", "score"]
DECIMALS = 10

METRICS = {  # name: (sacrebleu args, mt_eval args, mt_eval metric name)
    "BLEU": (["-m", "bleu"], ["-m", "bleu"], "BLEU"),
    "chrF2": (["-m", "chrf"], ["-m", "chrf"], "chrF2"),
    "chrF2++": (["-m", "chrf", "--chrf-word-order", "2"], ["-m", "chrf++"], "chrF2++"),
    "TER": (["-m", "ter"], ["-m", "ter"], "TER"),
}


# -- data -----------------------------------------------------------------
def _pairs():
    out = []
    for pair in ("fr-en", "en-fr"):
        tgt = pair.split("-")[1]
        ref = (DATA / pair / f"newstest2014-fren-ref.{tgt}").read_text(encoding="utf-8").split("\n")[:3003]
        systems = sorted((DATA / pair / "systems").iterdir())
        out.append([(p.read_text(encoding="utf-8").split("\n")[:3003], ref) for p in systems])
    # interleave directions: fr-en sys1, en-fr sys1, fr-en sys2, ...
    mixed = []
    for k in range(max(len(d) for d in out)):
        for d in out:
            if k < len(d):
                mixed.append(d[k])
    return mixed


def make_corpus(n: int, folder: Path) -> tuple[Path, Path]:
    hyp_path, ref_path = folder / f"hyp.{n}", folder / f"ref.{n}"
    if hyp_path.exists():
        return hyp_path, ref_path
    pairs = _pairs()
    with open(hyp_path, "w", encoding="utf-8") as fh, open(ref_path, "w", encoding="utf-8") as fr:
        done, k = 0, 0
        while done < n:
            hyps, refs = pairs[k % len(pairs)]
            take = min(len(hyps), n - done)
            fh.write("\n".join(hyps[:take]) + "\n")
            fr.write("\n".join(refs[:take]) + "\n")
            done += take
            k += 1
    return hyp_path, ref_path


# -- measuring ------------------------------------------------------------
def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as fh:
                out += map(int, fh.read().split())
    except OSError:  # the process or thread ended meanwhile
        pass
    return out


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
            for line in fh:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _tree_pss(pid: int) -> int:
    """PSS of ``pid`` and all its descendants, read straight from /proc.
    The sampler runs beside the measured tool on a 2-core machine, so it
    must be cheap: psutil's children() scans every process (2.6 ms a
    sample, 13 % of a core at 50 samples a second, taken from whichever
    tool uses both cores); the kernel's children lists and smaps_rollup
    take 0.3 ms."""
    tree, i = [pid], 0
    while i < len(tree):
        tree += _children(tree[i])
        i += 1
    return sum(map(_pss, tree))


def _check_proc() -> None:
    """The sampler reads Linux's /proc; elsewhere it would see 0 bytes and
    print memory ratios of nothing, so the bench refuses to run instead."""
    me = os.getpid()
    if not (os.path.exists(f"/proc/{me}/smaps_rollup") and os.path.exists(f"/proc/{me}/task/{me}/children")):
        raise SystemExit("score_bench.py measures memory from /proc/<pid>/smaps_rollup and "
                         "/proc/<pid>/task/<tid>/children (Linux 4.14 or later); this system has neither")


def run(cmd: list[str], env: dict | None = None) -> dict:
    with tempfile.TemporaryFile() as out_f, tempfile.TemporaryFile() as err_f:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out_f, stderr=err_f, env=env, cwd=ROOT)
        peak = [0]
        stop = threading.Event()

        def sample():
            while not stop.is_set():
                peak[0] = max(peak[0], _tree_pss(proc.pid))
                stop.wait(0.02)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        # wait4: this child's own rusage (its waited-for workers included)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - start
        stop.set()
        sampler.join()
        out_f.seek(0)
        err_f.seek(0)
        out, err = out_f.read(), err_f.read()
    if proc.returncode != 0:
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{err.decode()[-2000:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "pss": peak[0],
            "maxrss": usage.ru_maxrss * 1024, "stdout": out.decode("utf-8")}


def best_of(cmds: list[list[str]], env: dict, repeat: int) -> list[dict]:
    """Each command ``repeat`` times, interleaved (so that a burst of load
    hits both tools alike); per command the best wall, CPU and memory."""
    runs: list[list[dict]] = [[] for _ in cmds]
    for _ in range(max(1, repeat)):
        for k, cmd in enumerate(cmds):
            runs[k].append(run(cmd, env))
    out = []
    for rs in runs:
        best = dict(rs[0])
        for key in ("wall", "cpu", "pss", "maxrss"):
            best[key] = min(r[key] for r in rs)
        out.append(best)
    return out


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env["MT_EVAL_PROGRESS"] = "0"
    env.setdefault("SACREBLEU_SEED", "12345")
    return env


def sacrebleu_scores(stdout: str) -> dict:
    data = json.loads(stdout)
    data = data if isinstance(data, list) else [data]
    return {d["name"]: d for d in data}


def mteval_scores(stdout: str) -> dict:
    return {r["metric"]: r for r in json.loads(stdout)["corpus"]}


def _same(a: float, b: float) -> bool:
    return f"{a:.{DECIMALS}f}" == f"{float(b):.{DECIMALS}f}"


def check_identical(ours: dict, theirs: dict, name: str, confidence: bool) -> None:
    o, t = ours[name], theirs[name]
    problems = []
    if not _same(o["score"], t["score"]):
        problems.append(f"score {o['score']!r} != {t['score']!r}")
    if o["signature"] != t["signature"]:
        problems.append(f"signature {o['signature']} != {t['signature']}")
    if confidence:
        if not _same(o["bs_mean"], t["confidence_mean"]):
            problems.append(f"bootstrap mean {o['bs_mean']!r} != {t['confidence_mean']!r}")
        if not _same(o["ci_halfwidth"], t["confidence_var"]):
            problems.append(f"CI half-width {o['ci_halfwidth']!r} != {t['confidence_var']!r}")
    if problems:
        raise SystemExit(f"NOT IDENTICAL ({name}): " + "; ".join(problems))


# -- the comparisons --------------------------------------------------------
def mb(x: float) -> str:
    return f"{x / 2**20:,.0f} MB"


def row(label: str, n_ours: int, ours: dict, n_theirs: int, theirs: dict) -> None:
    per = "" if n_ours == n_theirs else f"  [sacrebleu on {n_theirs:,} segments; ratios per segment]"
    scale = n_ours / n_theirs
    wall_ratio = theirs["wall"] * scale / ours["wall"]
    cpu_ratio = theirs["cpu"] * scale / ours["cpu"]
    mem_ratio = ours["pss"] / theirs["pss"] if theirs["pss"] else float("nan")
    print(f"  {label:<22} sacrebleu {theirs['wall']:7.1f} s wall {theirs['cpu']:7.1f} s cpu "
          f"{mb(theirs['pss']):>9} (maxrss {mb(theirs['maxrss'])})  |  mt_eval {ours['wall']:6.1f} s wall "
          f"{ours['cpu']:6.1f} s cpu {mb(ours['pss']):>9}  |  {wall_ratio:5.1f}x faster (wall), "
          f"{cpu_ratio:5.1f}x less cpu, memory {mem_ratio:.2f} of sacrebleu's{per}", flush=True)


def compare(n: int, folder: Path, metrics: list[str], ter_sacre_n: int, env: dict, repeat: int = 1) -> None:
    hyp, ref = make_corpus(n, folder)
    print(f"\n== {n:,} segments ==", flush=True)
    for name in metrics:
        sb_args, me_args, me_name = METRICS[name]
        n_sb = min(n, ter_sacre_n) if name == "TER" else n
        sb_hyp, sb_ref = make_corpus(n_sb, folder)
        theirs, ours = best_of([
            SACREBLEU + [str(sb_ref), "-i", str(sb_hyp), *sb_args, "-w", str(DECIMALS)],
            MTEVAL + ["--hyp", str(hyp), "--ref", str(ref), *me_args, "--no-cache", "--format", "json"],
        ], env, repeat)
        if n_sb == n:
            check_identical(mteval_scores(ours["stdout"]), sacrebleu_scores(theirs["stdout"]), me_name, False)
        else:  # identical scores on the segments sacrebleu did score
            small = run(MTEVAL + ["--hyp", str(sb_hyp), "--ref", str(sb_ref), *me_args, "--no-cache",
                                  "--format", "json"], env)
            check_identical(mteval_scores(small["stdout"]), sacrebleu_scores(theirs["stdout"]), me_name, False)
        row(f"corpus {name}", n, ours, n_sb, theirs)


def compare_ci(n: int, folder: Path, env: dict, names=("BLEU", "chrF2"), repeat: int = 1) -> None:
    hyp, ref = make_corpus(n, folder)
    for name in names:
        sb_args, me_args, me_name = METRICS[name]
        theirs, ours = best_of([
            SACREBLEU + [str(ref), "-i", str(hyp), *sb_args, "--confidence", "--confidence-n", "1000",
                         "-w", str(DECIMALS)],
            MTEVAL + ["--hyp", str(hyp), "--ref", str(ref), *me_args, "--confidence",
                      "--confidence-n", "1000", "--no-cache", "--format", "json"],
        ], env, repeat)
        check_identical(mteval_scores(ours["stdout"]), sacrebleu_scores(theirs["stdout"]), me_name, True)
        row(f"{name} + bootstrap CI", n, ours, n, theirs)


def scaling(sizes: list[int], folder: Path, env: dict) -> None:
    print("\n== mt_eval scaling (--no-cache; --stream reads the files block by block) ==", flush=True)
    for name, extra in (("chrF2", []), ("chrF2", ["--stream"]), ("BLEU", []), ("BLEU", ["--stream"])):
        base = None
        for n in sizes:
            hyp, ref = make_corpus(n, folder)
            r = run(MTEVAL + ["--hyp", str(hyp), "--ref", str(ref), *METRICS[name][1], "--no-cache",
                              "--format", "json", *extra], env)
            base = base or (n, r)
            t_ratio = r["cpu"] / base[1]["cpu"]
            label = f"{name} {' '.join(extra)}"
            print(f"  {label:<15} {n:>9,} segments  {r['wall']:7.1f} s wall {r['cpu']:7.1f} s cpu  "
                  f"peak {mb(r['pss']):>9}   cpu x{t_ratio:5.1f} for data x{n / base[0]:.0f}", flush=True)


def warm_cache(n: int, folder: Path, env: dict) -> None:
    hyp, ref = make_corpus(n, folder)
    print(f"\n== statistics cache, {n:,} segments, chrF2 ==", flush=True)
    with tempfile.TemporaryDirectory() as cache:
        cmd = MTEVAL + ["--hyp", str(hyp), "--ref", str(ref), "-m", "chrf", "--cache-dir", cache,
                        "--format", "json"]
        cold = run(cmd, env)
        warm = run(cmd, env)
        assert mteval_scores(cold["stdout"])["chrF2"]["score"] == mteval_scores(warm["stdout"])["chrF2"]["score"]
        print(f"  first run (fills the cache) {cold['wall']:6.1f} s wall; re-run {warm['wall']:6.1f} s wall "
              f"({cold['wall'] / warm['wall']:.1f}x faster)", flush=True)


def dask_run(n: int, folder: Path, env: dict) -> None:
    hyp, ref = make_corpus(n, folder)
    print(f"\n== Dask backend, LocalCluster with 4 workers, {n:,} segments ==", flush=True)
    local = run(MTEVAL + ["--hyp", str(hyp), "--ref", str(ref), "-m", "chrf", "--no-cache", "--format", "json"], env)
    dist = run(MTEVAL + ["--hyp", str(hyp), "--ref", str(ref), "-m", "chrf", "--no-cache", "--format", "json",
                         "--engine", "dask", "--workers", "4"], env)
    a, b = mteval_scores(local["stdout"])["chrF2"], mteval_scores(dist["stdout"])["chrF2"]
    assert a["score"] == b["score"], (a["score"], b["score"])
    print(f"  chrF2: dask {dist['wall']:6.1f} s wall (cluster start-up included), peak {mb(dist['pss'])}; "
          f"local fast engine {local['wall']:6.1f} s wall; identical score {a['score']:.10f}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    ap.add_argument("--scaling", type=int, nargs="+", default=[10000, 100000, 1000000])
    ap.add_argument("--no-scaling", action="store_true")
    ap.add_argument("--no-dask", action="store_true")
    ap.add_argument("--full", action="store_true", help="run sacrebleu's TER on every size (slow)")
    ap.add_argument("--ter-sacrebleu-max", type=int, default=10000,
                    help="largest corpus sacrebleu's TER is run on without --full (default 10000)")
    ap.add_argument("--metrics", nargs="*", choices=list(METRICS), default=list(METRICS),
                    help="corpus-score rows to run (default: all; none: skip them)")
    ap.add_argument("--ci", nargs="*", choices=["BLEU", "chrF2"], default=None,
                    help="bootstrap-CI rows to run (default: BLEU, and chrF2 up to 10k or with --full; "
                         "none: skip them)")
    ap.add_argument("--no-cache-row", action="store_true", help="skip the statistics-cache re-run")
    ap.add_argument("--repeat", type=int, default=1,
                    help="run each command N times, alternating the tools, and keep the best (default 1)")
    args = ap.parse_args()
    if not DATA.is_dir():
        raise SystemExit(f"WMT14 data not found at {DATA}")
    _check_proc()
    env = _env()
    import sacrebleu
    print(f"sacrebleu {sacrebleu.__version__}, python {sys.version.split()[0]}, {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f} at start"
          + (f"; best of {args.repeat} runs per command" if args.repeat > 1 else ""))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ter_n = max(args.sizes) if args.full else args.ter_sacrebleu_max
        if args.metrics:
            for n in args.sizes:
                compare(n, folder, args.metrics, ter_n, env, args.repeat)
        if args.ci is None or args.ci:
            print("\n== bootstrap confidence intervals (1,000 resamples, --confidence) ==")
            print("   sacrebleu materialises resamples x segments x statistics in float32: 4 GB for BLEU and 7 GB "
                  "for chrF at 100k, so chrF's is compared at 100k only with --full")
            for n in sorted(args.sizes):
                names = ("BLEU", "chrF2") if n <= 10000 or args.full else ("BLEU",)
                names = [x for x in names if args.ci is None or x in args.ci]
                if names:
                    print(f"  -- {n:,} segments")
                    compare_ci(n, folder, env, names, args.repeat)
        if not args.no_cache_row:
            warm_cache(min(args.sizes), folder, env)
        if not args.no_scaling:
            scaling(args.scaling, folder, env)
        if not args.no_dask:
            dask_run(max(args.sizes), folder, env)
    print(f"\nload average at end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
