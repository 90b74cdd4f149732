"""NumPy/SciPy reference values for MixtureSprtIT (the oracle for
io.jenkins.plugins.mlstages.deploy.ab.MixtureSprt), from the definitions in docs/abtest.md, not from the
Java code, and computed another way: the mixture likelihood ratio by numerical integration over the
mixing distribution (not the closed form), the always-valid interval by root finding.

Reads {"alpha": a, "tau": t, "cases": [[[n_a, x_a, n_b, x_b], ...], ...]} on stdin (each case a sequence
of looks at running totals). Prints {"cases": [[{"z", "log_lr", "p", "low", "high"}, ...], ...]}.
"""
import json
import math
import sys

import numpy as np
from scipy import integrate, optimize, stats


def log_lr(diff, theta0, v, tau):
    """ln of the integral of N(diff; theta, v) / N(diff; theta0, v) over theta ~ N(theta0, tau^2)."""
    sd = math.sqrt(v)

    def exponent(theta):
        return (stats.norm.logpdf(diff, loc=theta, scale=sd) - stats.norm.logpdf(diff, loc=theta0, scale=sd)
                + stats.norm.logpdf(theta, loc=theta0, scale=tau))

    # the integrand is concentrated near the posterior mean; integrate exp(exponent - its peak) over a window
    # that holds it (in logs: the ratio alone can overflow, the densities underflow)
    scale = math.sqrt(v * tau * tau / (v + tau * tau))
    centre = theta0 + (diff - theta0) * tau * tau / (v + tau * tau)
    peak = exponent(centre)
    value, _ = integrate.quad(lambda t: math.exp(exponent(t) - peak), centre - 40 * scale, centre + 40 * scale, epsabs=0,
                              epsrel=1e-12, limit=200, points=[centre])
    return peak + math.log(value)


def look(counts, alpha, tau):
    n_a, x_a, n_b, x_b = counts
    p_a, p_b = x_a / n_a, x_b / n_b
    diff = p_b - p_a
    v = p_a * (1 - p_a) / n_a + p_b * (1 - p_b) / n_b
    level = math.log(1 / alpha)
    llr = log_lr(diff, 0.0, v, tau)

    def excess(theta0):
        return log_lr(diff, theta0, v, tau) - level

    # ln LR grows with |diff - theta0|: one root on each side of diff
    width = 1.0
    low = optimize.brentq(excess, diff - width, diff, xtol=1e-15, rtol=1e-14)
    high = optimize.brentq(excess, diff, diff + width, xtol=1e-15, rtol=1e-14)
    return {"z": diff / math.sqrt(v), "log_lr": llr, "p": min(1.0, math.exp(-llr)), "low": max(-1.0, low),
            "high": min(1.0, high)}


def main():
    request = json.load(sys.stdin)
    alpha, tau = request["alpha"], request["tau"]
    out = []
    for case in request["cases"]:
        looks = []
        p, low, high = 1.0, -np.inf, np.inf
        for counts in case:
            one = look(counts, alpha, tau)
            p = min(p, one["p"])
            new_low, new_high = max(low, one["low"]), min(high, one["high"])
            if new_low <= new_high:
                low, high = new_low, new_high
            else:
                low, high = one["low"], one["high"]
            looks.append({"z": one["z"], "log_lr": one["log_lr"], "p": p, "low": low, "high": high})
        out.append(looks)
    json.dump({"cases": out}, sys.stdout)


if __name__ == "__main__":
    main()
