"""Reference figures for AnalysisReferenceTest, computed independently of Cohort with NumPy and SciPy.

Run: python3 analysis_reference.py   (SciPy 1.17). It prints the data set, as Java literals, and
every expected statistic with 17 significant digits; AnalysisReferenceTest holds the printed figures.
"""
import itertools
import numpy as np
from scipy import stats

rng = np.random.default_rng(19)
pool = ["a", "b", "c", "d", "e"]
party = {"a": "A", "b": "A", "c": "B", "d": "B", "e": "B"}
groups = list(itertools.combinations(pool, 2))
sims = []  # (sequence, group, tone, agreed, stance{id: int}, verdict, leader)
for gi, g in enumerate(groups):
    for r in range(3):
        seq = gi * 3 + r + 1
        tone = round(float(rng.normal(3 + 0.8 * ("a" in g) - 0.6 * ("d" in g), 1.0)), 2)
        agreed = bool(rng.random() < (0.7 if party[g[0]] == party[g[1]] else 0.35))
        stance = {m: int(rng.integers(1, 8)) for m in g}
        verdict = ["yes", "no", "undecided"][int(rng.integers(0, 3))]
        leader = g[int(rng.integers(0, 2))]
        sims.append((seq, g, tone, agreed, stance, verdict, leader))

FLAGGED = {4, 17}
FAILED = {9}
print("// tone, agreed per sequence 1..30")
print("TONE = {" + ", ".join(repr(s[2]) for s in sims) + "};")
print("AGREED = {" + ", ".join("true" if s[3] else "false" for s in sims) + "};")
print("STANCE = {" + ", ".join("{" + ", ".join(str(s[4][m]) for m in s[1]) + "}" for s in sims) + "};")
print("VERDICT = {" + ", ".join('"' + s[5] + '"' for s in sims) + "};")
print("LEADER = {" + ", ".join('"' + s[6] + '"' for s in sims) + "};")

used = [s for s in sims if s[0] not in FLAGGED and s[0] not in FAILED]
tone = np.array([s[2] for s in used])
agreed = np.array([s[3] for s in used], dtype=float)

def f(x):
    return repr(float(x))

print("\n// tone summary: n, mean, sd (ddof=1), stats.ttest_1samp(tone, 0).confidence_interval(0.95)")
ci = stats.ttest_1samp(tone, 0).confidence_interval(0.95)
print(len(tone), f(tone.mean()), f(tone.std(ddof=1)), f(ci.low), f(ci.high))

print("\n// agreed: stats.binomtest(k, n).proportion_ci(0.95, method='wilson'); sd ddof=1")
k = int(agreed.sum()); n = len(agreed)
w = stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
print(n, k, f(k / n), f(agreed.std(ddof=1)), f(w.low), f(w.high))

print("\n// tone entity effects: r = stats.ttest_ind(with, without, equal_var=False); r.confidence_interval(0.95)")
ps = []
rows = []
for e in pool:
    wi = np.array([s[2] for s in used if e in s[1]])
    wo = np.array([s[2] for s in used if e not in s[1]])
    r = stats.ttest_ind(wi, wo, equal_var=False)
    c = r.confidence_interval(0.95)
    ps.append(r.pvalue)
    rows.append((e, len(wi), wi.mean(), len(wo), wo.mean(), wi.mean() - wo.mean(), c.low, c.high, r.df, r.statistic, r.pvalue))
# Holm, written out: sort ascending, multiply the i-th (0-based) by m - i, cap at 1, running maximum.
m = len(ps)
order = np.argsort(ps)
holm = [0.0] * m
running = 0.0
for i, j in enumerate(order):
    running = max(running, min(1.0, (m - i) * ps[j]))
    holm[j] = running
for row, h in zip(rows, holm):
    print(row[0], row[1], f(row[2]), row[3], f(row[4]), f(row[5]), f(row[6]), f(row[7]), f(row[8]), f(row[9]), f(row[10]), f(h))

print("\n// tone by members of party A: n, mean, stats.ttest_1samp(x, 0).confidence_interval(0.95)")
for count in range(3):
    x = np.array([s[2] for s in used if sum(party[m] == "A" for m in s[1]) == count])
    c = stats.ttest_1samp(x, 0).confidence_interval(0.95)
    print(count, len(x), f(x.mean()), f(c.low), f(c.high))

print("\n// tone ICC over groups run at least twice: F, p = stats.f_oneway(*groups); n0 = (N - sum n_i^2 / N) / (k - 1);"
      " ICC = (F - 1) / (F + n0 - 1)")
by_group = {}
for s in used:
    by_group.setdefault(s[1], []).append(s[2])
reps = [np.array(v) for v in by_group.values() if len(v) >= 2]
anova = stats.f_oneway(*reps)
N = sum(len(v) for v in reps); K = len(reps)
n0 = (N - sum(len(v) ** 2 for v in reps) / N) / (K - 1)
grand = np.concatenate(reps).mean()
msb = sum(len(v) * (v.mean() - grand) ** 2 for v in reps) / (K - 1)
msw = sum(((v - v.mean()) ** 2).sum() for v in reps) / (N - K)
print(K, N, f(msb), f(msw), f(anova.statistic), f(anova.pvalue), f((anova.statistic - 1) / (anova.statistic + n0 - 1)))

print("\n// stance per participant, by entity: n, mean, sd, stats.ttest_1samp(x, 0).confidence_interval(0.95)")
for e in pool:
    x = np.array([s[4][e] for s in used if e in s[1]], dtype=float)
    c = stats.ttest_1samp(x, 0).confidence_interval(0.95)
    print(e, len(x), f(x.mean()), f(x.std(ddof=1)), f(c.low), f(c.high))
print("// stance by party")
for p in ["A", "B"]:
    x = np.array([v for s in used for mm, v in s[4].items() if party[mm] == p], dtype=float)
    c = stats.ttest_1samp(x, 0).confidence_interval(0.95)
    print(p, len(x), f(x.mean()), f(x.std(ddof=1)), f(c.low), f(c.high))

print("\n// verdict counts; leader named / appearances")
for v in ["yes", "no", "undecided"]:
    print(v, sum(1 for s in used if s[5] == v))
for e in pool:
    print(e, sum(1 for s in used if s[6] == e), sum(1 for s in used if e in s[1]))

print("\n// with flagged included (failed still out; the flagged ones' tone is 100): n, mean of tone")
inc = np.array([100.0 if s[0] in FLAGGED else s[2] for s in sims if s[0] not in FAILED])
print(len(inc), f(inc.mean()))

# ---------------------------------------------------------------------------------------------
# Models as a factor (ModelComparisonReferenceTest, ModelsReferenceBatch): pool a..d, all six
# pairs twice (12 planned groups x replicates, unit u = pair index * 2 + replicate + 1), each
# crossed on three models: sequence = (u - 1) * 3 + model index + 1. Simulation 14 (unit 5 on
# llama) failed and simulation 24 (unit 8 on claude) is flagged: their pairs drop out.
# The balanced batch: unit u ran once, on MODELS[(u - 1) % 3], with the crossed data's values.
print("\n\n// ===== models =====")
mrng = np.random.default_rng(22)
MODELS = ["mini", "llama", "claude"]
mpool = ["a", "b", "c", "d"]
munits = []  # (unit, group)
for gi, g in enumerate(itertools.combinations(mpool, 2)):
    for r in range(2):
        munits.append((gi * 2 + r + 1, g))
mdata = {}  # (unit, model index) -> (tone, agreed, stance{id: int})
for u, g in munits:
    for mi in range(3):
        tone = round(float(mrng.normal(3 + 0.5 * (mi == 1) - 0.4 * (mi == 2) + 0.6 * ("a" in g), 1.0)), 2)
        agreed = bool(mrng.random() < [0.3, 0.5, 0.7][mi])
        stance = {m: int(mrng.integers(1, 8)) for m in g}
        mdata[(u, mi)] = (tone, agreed, stance)
M_FAILED = {14}
M_FLAGGED = {24}
def mseq(u, mi):
    return (u - 1) * 3 + mi + 1
print("M_TONE = {" + ", ".join(repr(mdata[(u, mi)][0]) for u, _ in munits for mi in range(3)) + "};")
print("M_AGREED = {" + ", ".join("true" if mdata[(u, mi)][1] else "false" for u, _ in munits for mi in range(3)) + "};")
print("M_STANCE = {" + ", ".join("{" + ", ".join(str(mdata[(u, mi)][2][m]) for m in g) + "}"
                                  for u, g in munits for mi in range(3)) + "};")
mused = {(u, mi): mdata[(u, mi)] for u, _ in munits for mi in range(3)
         if mseq(u, mi) not in M_FAILED and mseq(u, mi) not in M_FLAGGED}
mgroup = dict(munits)

print("\n// crossed tone per model: n, mean, sd, stats.ttest_1samp(x, 0).confidence_interval(0.95)")
for mi, name in enumerate(MODELS):
    x = np.array([v[0] for (u, m), v in mused.items() if m == mi])
    c = stats.ttest_1samp(x, 0).confidence_interval(0.95)
    print(name, len(x), f(x.mean()), f(x.std(ddof=1)), f(c.low), f(c.high))

def holm_of(ps):
    order = np.argsort(ps); out = [0.0] * len(ps); running = 0.0
    for i, j in enumerate(order):
        running = max(running, min(1.0, (len(ps) - i) * ps[j])); out[j] = running
    return out

print("\n// crossed tone differences: r = stats.ttest_rel(x_a, x_b) over units both completed;"
      " pairs, mean(x_a - x_b), r.confidence_interval(0.95), r.df, r.statistic, r.pvalue, Holm")
rows = []
for a, b in itertools.combinations(range(3), 2):
    us = [u for u, _ in munits if (u, a) in mused and (u, b) in mused]
    xa = np.array([mused[(u, a)][0] for u in us]); xb = np.array([mused[(u, b)][0] for u in us])
    r = stats.ttest_rel(xa, xb); c = r.confidence_interval(0.95)
    rows.append((MODELS[a], MODELS[b], len(us), (xa - xb).mean(), c.low, c.high, r.df, r.statistic, r.pvalue))
for row, h in zip(rows, holm_of([r[8] for r in rows])):
    print(row[0], row[1], row[2], f(row[3]), f(row[4]), f(row[5]), f(row[6]), f(row[7]), f(row[8]), f(h))

print("\n// crossed agreed on llama: stats.binomtest(k, n).proportion_ci(0.95, method='wilson');"
      " mini - claude: stats.ttest_rel on 0/1")
x = np.array([float(v[1]) for (u, m), v in mused.items() if m == 1])
w = stats.binomtest(int(x.sum()), len(x)).proportion_ci(confidence_level=0.95, method="wilson")
print(len(x), f(x.mean()), f(w.low), f(w.high))
us = [u for u, _ in munits if (u, 0) in mused and (u, 2) in mused]
xa = np.array([float(mused[(u, 0)][1]) for u in us]); xb = np.array([float(mused[(u, 2)][1]) for u in us])
r = stats.ttest_rel(xa, xb); c = r.confidence_interval(0.95)
print(len(us), f((xa - xb).mean()), f(c.low), f(c.high), f(r.statistic), f(r.pvalue))

print("\n// tone entity effect of a within mini: stats.ttest_ind(with, without, equal_var=False)")
wi = np.array([v[0] for (u, m), v in mused.items() if m == 0 and "a" in mgroup[u]])
wo = np.array([v[0] for (u, m), v in mused.items() if m == 0 and "a" not in mgroup[u]])
r = stats.ttest_ind(wi, wo, equal_var=False); c = r.confidence_interval(0.95)
print(len(wi), len(wo), f(wi.mean() - wo.mean()), f(c.low), f(c.high), f(r.df), f(r.statistic), f(r.pvalue))

print("\n// stance (per participant) mini - llama, paired by unit and participant: stats.ttest_rel")
keys = [(u, e) for u, g in munits for e in g if (u, 0) in mused and (u, 1) in mused]
xa = np.array([mused[(u, 0)][2][e] for u, e in keys], dtype=float)
xb = np.array([mused[(u, 1)][2][e] for u, e in keys], dtype=float)
r = stats.ttest_rel(xa, xb); c = r.confidence_interval(0.95)
print(len(keys), f((xa - xb).mean()), f(c.low), f(c.high), f(r.df), f(r.statistic), f(r.pvalue))

print("\n// balanced tone (unit u on MODELS[(u - 1) % 3], none failed or flagged):"
      " stats.ttest_ind(x_a, x_b, equal_var=False), Holm")
bal = {mi: np.array([mdata[(u, mi)][0] for u, _ in munits if (u - 1) % 3 == mi]) for mi in range(3)}
rows = []
for a, b in itertools.combinations(range(3), 2):
    r = stats.ttest_ind(bal[a], bal[b], equal_var=False); c = r.confidence_interval(0.95)
    rows.append((MODELS[a], MODELS[b], len(bal[a]) + len(bal[b]), bal[a].mean() - bal[b].mean(), c.low, c.high,
                 r.df, r.statistic, r.pvalue))
for row, h in zip(rows, holm_of([r[8] for r in rows])):
    print(row[0], row[1], row[2], f(row[3]), f(row[4]), f(row[5]), f(row[6]), f(row[7]), f(row[8]), f(h))
