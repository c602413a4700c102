"""Not a peer: derives the constants of `kernels::LN_POLYNOMIAL` (crates/regis-methods/src/
kernels.rs). P(z) = (atanh(s)/s - 1)/z = sum_k z^k/(2k+3), z = s^2, on 0 <= z <= z_max =
((sqrt 2 - 1)/(sqrt 2 + 1))^2, interpolated by a degree-6 polynomial at the 7 Chebyshev nodes of
that interval, at 60 digits; prints the coefficients rounded to doubles and the largest
|P_fit(z) - P(z)| * z over 2,001 points (what the logarithm's relative error sees).

Usage: python3 tests/peers/fit_ln_polynomial.py   (needs mpmath)"""
import mpmath as mp

mp.mp.dps = 60
z_max = ((mp.sqrt(2) - 1) / (mp.sqrt(2) + 1)) ** 2


def p(z):
    if z == 0:
        return mp.mpf(1) / 3
    s = mp.sqrt(z)
    return (mp.atanh(s) / s - 1) / z


degree = 6
n = degree + 1
nodes = [z_max / 2 * (1 - mp.cos(mp.pi * (2 * k + 1) / (2 * n))) for k in range(n)]
coefficients = mp.lu_solve(mp.matrix([[z**j for j in range(n)] for z in nodes]), mp.matrix([p(z) for z in nodes]))
doubles = [float(c) for c in coefficients]
grid = [z_max * k / 2000 for k in range(2001)]
error = max(abs(sum(mp.mpf(doubles[j]) * z**j for j in range(n)) - p(z)) * z for z in grid)
print([repr(c) for c in doubles])
print("max |P_fit - P| * z =", mp.nstr(error, 3))
