package io.jenkins.plugins.mlstages.data;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.Comparator;
import org.apache.commons.statistics.distribution.ChiSquaredDistribution;
import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * Drift statistics between a reference and a current sample, computed as SciPy/NumPy compute them
 * and combined as Evidently combines them (see {@link DriftMethod} for names and thresholds).
 *
 * <p>Every function documents its formula and the SciPy/NumPy call it reproduces; the integration test
 * {@code DriftStatisticsIT} checks each against live SciPy 1.17.1 / NumPy 2.4.6 to 1e-9. The sources
 * mirrored are {@code scipy/stats/_stats_py.py} ({@code ks_2samp}, {@code _compute_prob_outside_square},
 * {@code _cdf_distance}, {@code _power_divergence}), {@code scipy/stats/_stats_pythran.py}
 * ({@code _compute_outer_prob_inside_method}), {@code scipy/stats/_ksstats.py} ({@code kolmogn}, the
 * {@code kstwo} distribution), xsf's {@code cephes/kolmogorov.h} ({@code smirnov}),
 * {@code scipy/spatial/distance.py} ({@code jensenshannon}) and NumPy's {@code quantile} ('linear').
 *
 * <p>Functions are static and allocate little: the {@code *Sorted} variants allocate nothing for KS and
 * Wasserstein; the plain variants copy and sort their inputs. NaN values must be removed by the caller
 * (they are rejected). Empty samples or all-zero counts are rejected with {@link IllegalArgumentException}.
 */
public final class DriftStatistics {
    /** {@code ks_2samp(method='auto')} is exact when {@code max(n1, n2) <= MAX_AUTO_N}. */
    static final int KS_MAX_EXACT_N = 10_000;
    /** Evidently's floor for the reference standard deviation in {@code wasserstein_distance_norm.py}. */
    static final double WASSERSTEIN_MIN_NORM = 0.001;
    /** Evidently's replacement share for an empty bin ({@code get_binned_data} in {@code stattests/utils.py}). */
    static final double EMPTY_SHARE = 0.0001;
    /** The quantiles of {@link #psiBinEdges}: the reference deciles. */
    private static final double[] DECILES = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};

    private DriftStatistics() {
    }

    // ------------------------------------------------------------------------------------------------
    // Kolmogorov-Smirnov

    /**
     * Two-sample, two-sided Kolmogorov-Smirnov test; equals {@code scipy.stats.ks_2samp(reference, current)}
     * (SciPy 1.17, {@code method='auto'}), statistic and p-value. Copies and sorts the inputs; see
     * {@link #ksSorted} for the definition.
     */
    public static DriftScore ks(double[] reference, double[] current) {
        requireSample(reference, "reference");
        requireSample(current, "current");
        double[] ref = reference.clone();
        double[] cur = current.clone();
        Arrays.sort(ref);
        Arrays.sort(cur);
        return ksSorted(ref, cur);
    }

    /**
     * {@link #ks} on samples already sorted ascending (no allocation).
     *
     * <p>Statistic: {@code D = max_v |F_ref(v) - F_cur(v)|} over all sample values {@code v}, with
     * {@code F(v) = #(x <= v) / n} (SciPy: {@code searchsorted(side='right') / n}; ties handled by that).
     * P-value, as {@code ks_2samp} decides it:
     * <ul>
     *   <li>if {@code max(n1, n2) <= 10000} ("exact"): {@code h = round(D * lcm(n1, n2))} (half to even),
     *       the reported statistic becomes {@code h / lcm}; {@code h == 0} gives p = 1; for {@code n1 == n2}
     *       {@code _compute_prob_outside_square(n, h)} (Hodges' alternating sum in Horner form), otherwise
     *       {@code _compute_outer_prob_inside_method(n1, n2, g, h)} (Viehmann's lattice-path recursion for
     *       {@code 1 - P}); a result outside [0, 1] falls back to the asymptotic branch, as SciPy does;</li>
     *   <li>otherwise ("asymp"): {@code kstwo.sf(D, round(en))} with {@code en = n1 n2 / (n1 + n2)}, the exact
     *       one-sample two-sided KS distribution evaluated by Simard and L'Ecuyer's scheme
     *       ({@code scipy.stats._ksstats.kolmogn}: Ruben-Gambino, Durbin/Marsaglia-Tsang-Wang matrix,
     *       Pomeranz, Pelz-Good and {@code 2 * smirnov(n, D)}, chosen by {@code n} and {@code n D^2}).</li>
     * </ul>
     * Like SciPy, the exact path assumes continuous data: ties change the statistic but not the null
     * distribution used. The p-value is clipped to [0, 1].
     */
    public static DriftScore ksSorted(double[] reference, double[] current) {
        requireSortedSample(reference, "reference");
        requireSortedSample(current, "current");
        int n1 = reference.length;
        int n2 = current.length;
        double d = ksStatisticSorted(reference, current);
        double prob = Double.NaN;
        boolean asymptotic = Math.max(n1, n2) > KS_MAX_EXACT_N;
        if (!asymptotic) {
            int g = gcd(n1, n2);
            long lcm = (long) (n1 / g) * n2;
            long h = (long) Math.rint(d * lcm);
            d = h / (double) lcm;
            if (h == 0) {
                return new DriftScore(d, 1.0);
            }
            prob = n1 == n2 ? probOutsideSquare(n1, (int) h) : outerProbInside(n1, n2, g, h);
            asymptotic = !(prob >= 0 && prob <= 1);
        }
        if (asymptotic) {
            double m = Math.max(n1, n2);
            double n = Math.min(n1, n2);
            double en = m * n / (m + n);
            prob = kstwoSf(d, (long) Math.rint(en));
        }
        return new DriftScore(d, clip(prob));
    }

    /** The KS statistic only: {@code max |i/n1 - j/n2|} over the merged sorted samples. */
    private static double ksStatisticSorted(double[] a, double[] b) {
        int n1 = a.length;
        int n2 = b.length;
        int i = 0;
        int j = 0;
        double d = 0;
        while (i < n1 || j < n2) {
            double v = i == n1 ? b[j] : j == n2 ? a[i] : Math.min(a[i], b[j]);
            while (i < n1 && a[i] <= v) {
                i++;
            }
            while (j < n2 && b[j] <= v) {
                j++;
            }
            double diff = Math.abs(i / (double) n1 - j / (double) n2);
            if (diff > d) {
                d = diff;
            }
        }
        return d;
    }

    /**
     * {@code scipy.stats._stats_py._compute_prob_outside_square(n, h)}: P(D_{n,n} &ge; h/n) =
     * 2 &Sigma;_k (-1)^(k+1) C(2n, n - k h) / C(2n, n), evaluated as {@code 2 A0 (1 - A1 (1 - A2 (...)))}.
     */
    static double probOutsideSquare(int n, int h) {
        double p = 0.0;
        int k = (int) Math.floor(n / (double) h);
        while (k >= 0) {
            double p1 = 1.0;
            for (int j = 0; j < h; j++) {
                p1 = (n - k * h - j) * p1 / (n + k * h + j + 1);
            }
            p = p1 * (1.0 - p);
            k--;
        }
        return 2 * p;
    }

    /**
     * {@code scipy.stats._stats_pythran._compute_outer_prob_inside_method(m, n, g, h)}: the share of lattice
     * paths from (0, 0) to (m, n) that leave the band {@code |x/m - y/n| < h / lcm(m, n)}, computed
     * column by column in a sliding window as {@code A(x, y) = (x A(x-1, y) + y A(x, y-1)) / (x + y)}.
     */
    static double outerProbInside(int m0, int n0, int g, long h) {
        int m = Math.max(m0, n0);
        int n = Math.min(m0, n0);
        long mg = m / g;
        long ng = n / g;
        int minj = 0;
        int maxj = (int) Math.min((long) Math.ceil(h / (double) mg), n + 1L);
        int curlen = maxj - minj;
        int lenA = Math.min(2 * maxj + 2, n + 1);
        double[] a = new double[lenA];
        Arrays.fill(a, 1.0);
        Arrays.fill(a, minj, maxj, 0.0);
        for (int i = 1; i <= m; i++) {
            int lastminj = minj;
            int lastlen = curlen;
            minj = Math.max((int) Math.floor((ng * i - h) / (double) mg) + 1, 0);
            minj = Math.min(minj, n);
            maxj = (int) Math.min((long) Math.ceil((ng * i + h) / (double) mg), n + 1L);
            if (maxj <= minj) {
                return 1.0;
            }
            double val = minj == 0 ? 0.0 : 1.0;
            for (int jj = 0; jj < maxj - minj; jj++) {
                int j = jj + minj;
                val = (a[jj + minj - lastminj] * i + val * j) / (i + j);
                a[jj] = val;
            }
            curlen = maxj - minj;
            if (lastlen > curlen) {
                Arrays.fill(a, maxj - minj, Math.min(maxj - minj + (lastlen - curlen), lenA), 1.0);
            }
        }
        return a[maxj - minj - 1];
    }

    /**
     * {@code scipy.stats.kstwo.sf(x, n)}: P(D_n &ge; x) for the two-sided one-sample KS statistic. As the
     * {@code rv_continuous} wrapper: 1 for {@code x <= 0.5/n}, 0 for {@code x >= 1}, else {@code kolmogn}.
     */
    static double kstwoSf(double x, long n) {
        if (n < 1 || n > Integer.MAX_VALUE || Double.isNaN(x)) {
            return Double.NaN;
        }
        if (x <= 0.5 / n) {
            return 1.0;
        }
        if (x >= 1.0) {
            return 0.0;
        }
        return kolmognSf((int) n, x);
    }

    /** {@code scipy.stats._ksstats._kolmogn(n, x, cdf=False)}, Simard and L'Ecuyer's choice of algorithm. */
    private static double kolmognSf(int n, double x) {
        if (x >= 1.0) {
            return 0.0;
        }
        if (x <= 0.0) {
            return 1.0;
        }
        double t = n * x;
        if (t <= 1.0) {
            // Ruben-Gambino: P(D_n <= x) = n!/n^n (2t - 1)^n for 1/2n <= x <= 1/n
            if (t <= 0.5) {
                return 1.0;
            }
            double prob;
            if (n <= 140) {
                prob = 1.0;
                for (int i = 1; i <= n; i++) {
                    prob *= i * (1.0 / n) * (2 * t - 1);
                }
            } else {
                prob = Math.exp(logNFactorialDivNPowN(n) + n * Math.log(2 * t - 1));
            }
            return clip(1.0 - prob);
        }
        if (t >= n - 1) {
            // Ruben-Gambino: P(D_n >= x) = 2 (1 - x)^n
            return clip(2 * Math.pow(1.0 - x, n));
        }
        if (x >= 0.5) {
            return clip(2 * smirnovSf(n, x));
        }
        double nxSquared = t * x;
        if (n <= 140) {
            if (nxSquared <= 0.754693) {
                return clip(1.0 - kolmognDurbin(n, x));
            }
            if (nxSquared <= 4) {
                return clip(1.0 - kolmognPomeranz(n, x));
            }
            return clip(2 * smirnovSf(n, x));
        }
        if (nxSquared >= 370.0) {
            return 0.0;
        }
        if (nxSquared >= 2.2) {
            return clip(2 * smirnovSf(n, x));
        }
        double cdf;
        if (n <= 100_000 && n * Math.pow(x, 1.5) <= 1.4) {
            cdf = kolmognDurbin(n, x);
        } else {
            cdf = kolmognPelzGood(n, x);
        }
        return clip(1.0 - cdf);
    }

    private static final double E128 = 0x1p128;
    private static final double EM128 = 0x1p-128;
    private static final double[] STIRLING_COEFFS = {-2.955065359477124183e-2, 6.4102564102564102564e-3,
        -1.9175269175269175269e-3, 8.4175084175084175084e-4, -5.952380952380952381e-4,
        7.9365079365079365079e-4, -2.7777777777777777778e-3, 8.3333333333333333333e-2};

    /** {@code _log_nfactorial_div_n_pow_n(n)}: log(n!/n^n) by Stirling's series. */
    private static double logNFactorialDivNPowN(int n) {
        double rn = 1.0 / n;
        double x = rn / n;
        double poly = 0;
        for (double c : STIRLING_COEFFS) {
            poly = poly * x + c;
        }
        return Math.log(n) / 2 - n + Math.log(2 * Math.PI) / 2 + rn * poly;
    }

    /**
     * {@code _kolmogn_DMTW(n, d)}: P(D_n &le; d) by Durbin's matrix, the Marsaglia-Tsang-Wang way
     * (k-th diagonal entry of H^n times n!/n^n, with power-of-2 rescaling).
     */
    private static double kolmognDurbin(int n, double d) {
        if (d >= 1.0) {
            return 1.0;
        }
        double nd = n * d;
        if (nd <= 0.5) {
            return 0.0;
        }
        int k = (int) Math.ceil(nd);
        double h = k - nd;
        int m = 2 * k - 1;
        double[] v = new double[m];
        double[] w = new double[m];
        double fac = 1.0;
        for (int j = 1; j <= m; j++) {
            v[j - 1] = 1.0 - Math.pow(h, j);
            w[j - 1] = fac;
            fac /= j;
            v[j - 1] *= fac;
        }
        double tt = Math.pow(Math.max(2 * h - 1.0, 0), m) - 2 * Math.pow(h, m);
        v[m - 1] = (1.0 + tt) * fac;
        double[][] hm = new double[m][m];
        for (int i = 1; i < m; i++) {
            for (int r = i - 1; r < m; r++) {
                hm[r][i] = w[r - (i - 1)];
            }
        }
        for (int r = 0; r < m; r++) {
            hm[r][0] = v[r];
        }
        for (int c = 0; c < m; c++) {
            hm[m - 1][c] = v[m - 1 - c];
        }
        double[][] hpwr = new double[m][m];
        for (int r = 0; r < m; r++) {
            hpwr[r][r] = 1.0;
        }
        int nn = n;
        int expnt = 0;
        int hexpnt = 0;
        while (nn > 0) {
            if (nn % 2 != 0) {
                hpwr = matmul(hpwr, hm);
                expnt += hexpnt;
            }
            hm = matmul(hm, hm);
            hexpnt *= 2;
            if (Math.abs(hm[k - 1][k - 1]) > E128) {
                for (double[] row : hm) {
                    for (int c = 0; c < m; c++) {
                        row[c] /= E128;
                    }
                }
                hexpnt += 128;
            }
            nn /= 2;
        }
        double p = hpwr[k - 1][k - 1];
        for (int i = 1; i <= n; i++) {
            p = i * p / n;
            if (Math.abs(p) < EM128) {
                p *= E128;
                expnt -= 128;
            }
        }
        if (expnt != 0) {
            p = Math.scalb(p, expnt);
        }
        return clip(p);
    }

    private static double[][] matmul(double[][] a, double[][] b) {
        int m = a.length;
        double[][] c = new double[m][m];
        for (int i = 0; i < m; i++) {
            double[] ci = c[i];
            for (int l = 0; l < m; l++) {
                double ail = a[i][l];
                if (ail == 0) {
                    continue;
                }
                double[] bl = b[l];
                for (int j = 0; j < m; j++) {
                    ci[j] += ail * bl[j];
                }
            }
        }
        return c;
    }

    /** {@code _pomeranz_compute_j1j2}: the non-zero window of row {@code i}. */
    private static int[] pomeranzJ1J2(int i, int n, int ll, int ceilf, int roundf) {
        int j1;
        int j2;
        if (i == 0) {
            j1 = -ll - ceilf - 1;
            j2 = ll + ceilf - 1;
        } else {
            int ip1div2 = (i + 1) / 2;
            int ip1mod2 = (i + 1) % 2;
            if (ip1mod2 == 0) {
                if (ip1div2 == n + 1) {
                    j1 = n - ll - ceilf - 1;
                    j2 = n + ll + ceilf - 1;
                } else {
                    j1 = ip1div2 - 1 - ll - roundf - 1;
                    j2 = ip1div2 + ll - 1 + ceilf - 1;
                }
            } else {
                j1 = ip1div2 - 1 - ll - 1;
                j2 = ip1div2 + ll + roundf - 1;
            }
        }
        return new int[] {Math.max(j1 + 2, 0), Math.min(j2, n)};
    }

    /** {@code _kolmogn_Pomeranz(n, x)}: P(D_n &le; x) by Pomeranz's recursion (used for n &le; 140). */
    private static double kolmognPomeranz(int n, double x) {
        double t = n * x;
        int ll = (int) Math.floor(t);
        double f = t - ll;
        double g = Math.min(f, 1.0 - f);
        int ceilf = f > 0 ? 1 : 0;
        int roundf = f > 0.5 ? 1 : 0;
        int npwrs = 2 * (ll + 1);
        double[] gpower = new double[npwrs];
        double[] twogpower = new double[npwrs];
        double[] onem2gpower = new double[npwrs];
        gpower[0] = 1.0;
        twogpower[0] = 1.0;
        onem2gpower[0] = 1.0;
        int expnt = 0;
        double gOverN = g / n;
        double twoGOverN = 2 * g / n;
        double oneMinusTwoGOverN = (1 - 2 * g) / n;
        for (int m = 1; m < npwrs; m++) {
            gpower[m] = gpower[m - 1] * gOverN / m;
            twogpower[m] = twogpower[m - 1] * twoGOverN / m;
            onem2gpower[m] = onem2gpower[m - 1] * oneMinusTwoGOverN / m;
        }
        double[] v0 = new double[npwrs];
        double[] v1 = new double[npwrs];
        v1[0] = 1;
        int v0s = 0;
        int v1s = 0;
        int[] j12 = pomeranzJ1J2(0, n, ll, ceilf, roundf);
        int j1 = j12[0];
        double[] conv = new double[2 * npwrs];
        for (int i = 1; i < 2 * n + 2; i++) {
            int k1 = j1;
            double[] swap = v0;
            v0 = v1;
            v1 = swap;
            int swaps = v0s;
            v0s = v1s;
            v1s = swaps;
            Arrays.fill(v1, 0.0);
            j12 = pomeranzJ1J2(i, n, ll, ceilf, roundf);
            j1 = j12[0];
            int j2 = j12[1];
            double[] pwrs = i == 1 || i == 2 * n + 1 ? gpower : i % 2 != 0 ? twogpower : onem2gpower;
            int ln2 = j2 - k1 + 1;
            if (ln2 > 0) {
                // conv = np.convolve(V0[k1 - V0s : k1 - V0s + ln2], pwrs[:ln2]) (slices clipped like NumPy's)
                int aStart = k1 - v0s;
                int la = Math.max(0, Math.min(ln2, npwrs - aStart));
                int lb = Math.min(ln2, npwrs);
                int lc = la + lb - 1;
                for (int c = 0; c < lc; c++) {
                    double s = 0;
                    for (int q = Math.max(0, c - lb + 1); q <= Math.min(c, la - 1); q++) {
                        s += v0[aStart + q] * pwrs[c - q];
                    }
                    conv[c] = s;
                }
                int convStart = j1 - k1;
                int convLen = j2 - j1 + 1;
                double max = 0;
                for (int c = 0; c < convLen; c++) {
                    v1[c] = conv[convStart + c];
                    max = Math.max(max, v1[c]);
                }
                if (0 < max && max < EM128) {
                    for (int c = 0; c < npwrs; c++) {
                        v1[c] *= E128;
                    }
                    expnt -= 128;
                }
                v1s = v0s + j1 - k1;
            }
        }
        double ans = v1[n - v1s];
        for (int m = 1; m <= n; m++) {
            if (Math.abs(ans) > E128) {
                ans *= EM128;
                expnt += 128;
            }
            ans *= m;
        }
        if (expnt != 0) {
            ans = Math.scalb(ans, expnt);
        }
        return clip(ans);
    }

    private static final double PI_SQUARED = Math.PI * Math.PI;
    private static final double PI_FOUR = Math.pow(Math.PI, 4);
    private static final double PI_SIX = Math.pow(Math.PI, 6);
    private static final double SQRT2PI = Math.sqrt(2 * Math.PI);
    private static final double SQRT3 = Math.sqrt(3);

    /** {@code _kolmogn_PelzGood(n, x)}: Pelz and Good's approximation of P(D_n &le; x). */
    private static double kolmognPelzGood(int n, double x) {
        if (x <= 0.0) {
            return 0.0;
        }
        if (x >= 1.0) {
            return 1.0;
        }
        double z = Math.sqrt(n) * x;
        double zsquared = z * z;
        double zthree = Math.pow(z, 3);
        double zfour = Math.pow(z, 4);
        double zsix = Math.pow(z, 6);
        double qlog = -PI_SQUARED / 8 / zsquared;
        if (qlog < -708) {
            return 0.0;
        }
        double q = Math.exp(qlog);
        double k1a = -zsquared;
        double k1b = PI_SQUARED / 4;
        double k2a = 6 * zsix + 2 * zfour;
        double k2b = (2 * zfour - 5 * zsquared) * PI_SQUARED / 4;
        double k2c = PI_FOUR * (1 - 2 * zsquared) / 16;
        double k3d = PI_SIX * (5 - 30 * zsquared) / 64;
        double k3c = PI_FOUR * (-60 * zsquared + 212 * zfour) / 16;
        double k3b = PI_SQUARED * (135 * zfour - 96 * zsix) / 4;
        double k3a = -30 * zsix - 90 * Math.pow(z, 8);
        double[] kk = new double[4];
        int maxk = (int) Math.ceil(16 * z / Math.PI);
        for (int k = maxk; k > 0; k--) {
            long mm = 2L * k - 1;
            double msquared = mm * mm;
            double mfour = (double) (mm * mm * mm * mm);
            double msix = (double) (mm * mm * mm * mm * mm * mm);
            double qpower = Math.pow(q, 8 * k);
            double c1 = k1a + k1b * msquared;
            double c2 = k2a + k2b * msquared + k2c * mfour;
            double c3 = k3a + k3b * msquared + k3c * mfour + k3d * msix;
            kk[0] = kk[0] * qpower + 1.0;
            kk[1] = kk[1] * qpower + c1;
            kk[2] = kk[2] * qpower + c2;
            kk[3] = kk[3] * qpower + c3;
        }
        double[] div = {z, 6 * zfour, 72 * Math.pow(z, 7), 6480 * Math.pow(z, 10)};
        for (int i = 0; i < 4; i++) {
            kk[i] = kk[i] * q * SQRT2PI / div[i];
        }
        double q2 = Math.exp(-PI_SQUARED / 2 / zsquared);
        double sqrt3z = SQRT3 * z;
        double k2extra = 0;
        double k3extra = 0;
        for (int k = maxk; k > 0; k--) {
            double ksquared = (double) k * k;
            double kspi = Math.PI * k;
            double qpwr = Math.pow(q2, ksquared);
            k2extra += ksquared * qpwr;
            k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ksquared * qpwr;
        }
        k2extra *= PI_SQUARED * SQRT2PI / (-36 * zthree);
        k3extra *= PI_SQUARED * SQRT2PI / (216 * zsix);
        kk[2] += k2extra;
        kk[3] += k3extra;
        double sum = 0;
        for (int i = 0; i < 4; i++) {
            sum += kk[i] / Math.pow(n, i / 2.0);
        }
        return sum;
    }

    /** xsf's {@code MINLOG} ({@code cephes/const.h}): log(2^-1075), below it {@code exp} underflows to 0. */
    private static final double MINLOG = -7.451332191019412076235E2;
    /** xsf's {@code SMIRNOV_MAX_COMPUTE_N}: above it {@code smirnov} uses an approximation. */
    private static final int SMIRNOV_MAX_COMPUTE_N = 1_000_000;

    /**
     * {@code scipy.special.smirnov(n, x)}: P(D_n^+ &ge; x), the one-sided KS survival function, by
     * Birnbaum and Tingey's sum {@code x Σ_{v=0}^{⌊n(1-x)⌋} C(n,v) (1 - x - v/n)^(n-v) (x + v/n)^(v-1)}
     * with xsf's special cases ({@code x <= 1/n}, {@code x >= 1 - 1/n}, underflow, {@code n > 10^6}).
     * xsf evaluates the sum in double-double arithmetic; here every (positive) term is evaluated in log
     * space from exactly split {@code n x}, which keeps the relative error near {@code |log term| * 1e-16}.
     */
    static double smirnovSf(int n, double x) {
        if (!(n > 0 && x >= 0.0 && x <= 1.0)) {
            return Double.NaN;
        }
        if (n == 1) {
            return 1 - x;
        }
        if (x == 0.0) {
            return 1.0;
        }
        if (x == 1.0) {
            return 0.0;
        }
        // n x = nxHi + nxLo exactly; floor and fractional part of it
        double nxHi = n * x;
        double nxLo = Math.fma(n, x, -nxHi);
        double fl = Math.floor(nxHi);
        if (fl == nxHi && nxLo < 0) {
            fl -= 1;
        }
        double alpha = (nxHi - fl) + nxLo;
        int nxfl = (int) fl;
        if (alpha == 1) {
            nxfl += 1;
            alpha = 0;
        }
        int n1mxfl = n - nxfl - (alpha == 0 ? 0 : 1);
        if (alpha == 0) {
            n1mxfl -= 1;
        }
        if (nxfl == 0 || (nxfl == 1 && alpha == 0)) {
            double t = Math.exp((n - 1) * Math.log1p(x));
            return clip(1 - x * t);
        }
        if (-2 * n * x * x < MINLOG) {
            return 0.0;
        }
        if (nxfl >= n - 1) {
            return clip(Math.exp(n * Math.log1p(-x)));
        }
        if (n > SMIRNOV_MAX_COMPUTE_N) {
            double logp = -Math.pow(6.0 * n * x + 1, 2) / 18.0 / n;
            double sf = logp < -Math.log(2) ? Math.exp(logp) : 1 + Math.expm1(logp);
            return clip(sf);
        }
        int nTerms = n1mxfl + 1;
        int vmid = n / 2;
        double logC = 0; // log C(n, v), summed with compensation: it grows to ~n ln 2
        double logCComp = 0;
        double sum = 0;
        double comp = 0;
        for (int v = 0; v < nTerms; v++) {
            // a = x + v/n, b = 1 - x - v/n, both from the exact n x; log of the one below 1/2, log1p of the other
            double a = ((v + nxHi) + nxLo) / n;
            double b = (((n - v) - nxHi) - nxLo) / n;
            double logA = a < 0.5 ? Math.log(a) : Math.log1p(-b);
            double logB = b < 0.5 ? Math.log(b) : Math.log1p(-a);
            double logTerm = logC + (n - v) * logB + (v - 1) * logA;
            double term = Math.exp(logTerm);
            if (term != 0) {
                double y = term - comp;
                double s = sum + y;
                comp = (s - sum) - y;
                sum = s;
                if (4.0 * (nTerms - v) * term < Math.ulp(1.0) * sum && v != nTerms - 1) {
                    break;
                }
            } else if (v > vmid) {
                break;
            }
            double y = Math.log((double) (n - v) / (v + 1)) - logCComp;
            double s = logC + y;
            logCComp = (s - logC) - y;
            logC = s;
        }
        return clip(x * sum);
    }

    // ------------------------------------------------------------------------------------------------
    // Wasserstein

    /**
     * Evidently's {@code wasserstein} stat test ({@code wasserstein_distance_norm.py}):
     * {@code scipy.stats.wasserstein_distance(reference, current) / max(np.std(reference), 0.001)}.
     * Copies and sorts the inputs; see {@link #wassersteinNormedSorted}.
     */
    public static double wassersteinNormed(double[] reference, double[] current) {
        requireSample(reference, "reference");
        requireSample(current, "current");
        double[] ref = reference.clone();
        double[] cur = current.clone();
        Arrays.sort(ref);
        Arrays.sort(cur);
        return wassersteinNormedSorted(ref, cur);
    }

    /**
     * {@link #wassersteinNormed} on sorted samples (no allocation). Distance:
     * {@code W1 = Σ_k |F_ref(z_k) - F_cur(z_k)| (z_{k+1} - z_k)} over the merged sorted values
     * {@code z}, {@code F(z) = #(x <= z)/n} ({@code scipy.stats._stats_py._cdf_distance(1, ...)}); norm:
     * the population standard deviation of the reference ({@code np.std}, {@code ddof=0}) floored at 0.001.
     */
    public static double wassersteinNormedSorted(double[] reference, double[] current) {
        requireSortedSample(reference, "reference");
        requireSortedSample(current, "current");
        double norm = Math.max(std(reference), WASSERSTEIN_MIN_NORM);
        return wassersteinSorted(reference, current) / norm;
    }

    /** {@code scipy.stats.wasserstein_distance(u, v)} for sorted samples. */
    static double wassersteinSorted(double[] a, double[] b) {
        int n1 = a.length;
        int n2 = b.length;
        int i = 0;
        int j = 0;
        double sum = 0;
        double comp = 0;
        while (i < n1 || j < n2) {
            double v = i == n1 ? b[j] : j == n2 ? a[i] : Math.min(a[i], b[j]);
            while (i < n1 && a[i] <= v) {
                i++;
            }
            while (j < n2 && b[j] <= v) {
                j++;
            }
            if (i == n1 && j == n2) {
                break;
            }
            double next = i == n1 ? b[j] : j == n2 ? a[i] : Math.min(a[i], b[j]);
            double term = Math.abs(i / (double) n1 - j / (double) n2) * (next - v);
            double y = term - comp;
            double s = sum + y;
            comp = (s - sum) - y;
            sum = s;
        }
        return sum;
    }

    /** {@code np.std(x)} (population, {@code ddof=0}), with compensated sums. */
    static double std(double[] x) {
        int n = x.length;
        double mean = sum(x) / n;
        double sum = 0;
        double comp = 0;
        for (double v : x) {
            double dev = v - mean;
            double y = dev * dev - comp;
            double s = sum + y;
            comp = (s - sum) - y;
            sum = s;
        }
        return Math.sqrt(sum / n);
    }

    private static double sum(double[] x) {
        double sum = 0;
        double comp = 0;
        for (double v : x) {
            double y = v - comp;
            double s = sum + y;
            comp = (s - sum) - y;
            sum = s;
        }
        return sum;
    }

    // ------------------------------------------------------------------------------------------------
    // Binning and PSI

    /**
     * The 9 inner bin edges for PSI and the numeric Jensen-Shannon distance: the reference deciles
     * {@code np.quantile(reference, [0.1, 0.2, ..., 0.9])} with NumPy's default 'linear' method (see
     * {@link #quantile}), so 10 bins: {@code (-inf, e0], (e0, e1], ..., (e8, +inf)} ({@link #binIndex}).
     *
     * <p>Binning by reference deciles is this project's choice, not Evidently's: Evidently bins numeric
     * columns with more than 20 distinct reference values by {@code np.histogram_bin_edges(reference ∪
     * current, bins="sturges")}, which needs both samples before counting. Deciles of the reference alone
     * let the reference be summarised once (edges plus 10 counts) and the current data be binned in a single
     * streaming pass. PSI and Jensen-Shannon values therefore differ from Evidently's for the same data.
     *
     * @param sortedReference the reference sample sorted ascending, without NaN
     */
    public static double[] psiBinEdges(double[] sortedReference) {
        requireSortedSample(sortedReference, "reference");
        double[] edges = new double[DECILES.length];
        for (int e = 0; e < DECILES.length; e++) {
            edges[e] = quantileOfSorted(sortedReference, DECILES[e]);
        }
        return edges;
    }

    /**
     * {@code np.quantile(values, q)} with NumPy's default 'linear' method (Hyndman-Fan type 7), for values
     * sorted ascending: {@code i = (n-1) q}, {@code lo = floor(i)}, {@code g = i - lo}, {@code a = x[lo]},
     * {@code b = x[lo+1]}, result {@code a + (b-a) g} if {@code g < 0.5} else {@code b - (b-a)(1-g)};
     * {@code x[n-1]} when {@code i >= n-1}. Equal neighbours give that value (NumPy would give NaN for two
     * equal infinities).
     *
     * @param sortedValues values sorted ascending, without NaN
     * @param q            the probability, in [0, 1]
     */
    public static double quantile(double[] sortedValues, double q) {
        requireSortedSample(sortedValues, "sample");
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("quantile must be in [0, 1]: " + q);
        }
        return quantileOfSorted(sortedValues, q);
    }

    private static double quantileOfSorted(double[] sorted, double q) {
        int n = sorted.length;
        double index = (n - 1) * q;
        if (index >= n - 1) {
            return sorted[n - 1];
        }
        int lo = (int) Math.floor(index);
        double gamma = index - lo;
        double a = sorted[lo];
        double b = sorted[lo + 1];
        if (a == b) {
            return a;
        }
        double diff = b - a;
        return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
    }

    /**
     * The bin of {@code value} for the given sorted edges: {@code i} with {@code edges[i-1] < value <= edges[i]},
     * bin 0 = {@code (-inf, edges[0]]}, last bin = {@code (edges[last], +inf)}; equals
     * {@code np.searchsorted(edges, value, side='left')}. NaN goes to the last bin, as NumPy sorts NaN last.
     */
    public static int binIndex(double[] edges, double value) {
        if (Double.isNaN(value)) {
            return edges.length;
        }
        if (edges.length <= 16) {
            // the same index for sorted edges, without a branch per step to mispredict (deciles: 9 edges)
            int below = 0;
            for (double edge : edges) {
                below += edge < value ? 1 : 0;
            }
            return below;
        }
        int lo = 0;
        int hi = edges.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (edges[mid] < value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Counts of {@code values} per bin of {@link #binIndex}: an array of {@code edges.length + 1} counts. */
    public static long[] binCounts(double[] edges, double[] values) {
        long[] counts = new long[edges.length + 1];
        for (double v : values) {
            counts[binIndex(edges, v)]++;
        }
        return counts;
    }

    /**
     * Evidently's {@code psi} stat test ({@code psi.py}) over given bins:
     * {@code PSI = Σ_i (r_i - c_i) ln(r_i / c_i)} with shares {@code r_i = ref_i / Σ ref},
     * {@code c_i = cur_i / Σ cur}, where a zero share is replaced, separately in each sample, as
     * {@code get_binned_data(..., feel_zeroes=True)} does: by {@code 0.0001}, or by {@code min non-zero share / 10^6}
     * when that minimum is itself {@code <= 0.0001}. Shares are not renormalised afterwards (as in Evidently).
     */
    public static double psi(long[] referenceCounts, long[] currentCounts) {
        requireSameBins(referenceCounts, currentCounts);
        double[] ref = filledShares(referenceCounts, "reference");
        double[] cur = filledShares(currentCounts, "current");
        double psi = 0;
        for (int i = 0; i < ref.length; i++) {
            psi += (ref[i] - cur[i]) * Math.log(ref[i] / cur[i]);
        }
        return psi;
    }

    /**
     * {@link #psi(long[], long[])} for a categorical column, Evidently's categorical path: the bins are the
     * union of the categories with a positive count on either side (a missing key counts 0).
     */
    public static double psi(Map<String, Long> reference, Map<String, Long> current) {
        String[] keys = unionKeys(reference, current);
        return psi(countsOf(reference, keys), countsOf(current, keys));
    }

    // ------------------------------------------------------------------------------------------------
    // Chi-square

    /**
     * Evidently's {@code chisquare} stat test ({@code chisquare_stattest.py}): categories = the union of the
     * categories with a positive count on either side; {@code f_obs} = current counts; {@code f_exp} =
     * reference count &times; (current total / reference total); result = {@code scipy.stats.chisquare(f_obs, f_exp)}:
     * statistic {@code Σ (o - e)^2 / e}, p-value {@code chdtrc(k - 1, statistic)} (chi-square survival function
     * with k - 1 degrees of freedom; computed with Commons Statistics {@link ChiSquaredDistribution}).
     *
     * <p>Two safe choices where Evidently/SciPy give no usable number:
     * <ul>
     *   <li>Categories seen only in the current data: Evidently passes {@code f_exp = 0} and SciPy returns
     *       statistic {@code inf}, p-value 0 (so one new row among millions is "drift"). Here, when such
     *       categories exist, the reference shares {@code ref_i / Σ ref} get the same zero replacement as
     *       {@link #psi} (0.0001, or min share / 10^6), are renormalised to sum 1, and
     *       {@code f_exp = share_i × current total}. Without such categories this is exactly Evidently's formula.</li>
     *   <li>A single category in total: SciPy gives p = NaN (0 degrees of freedom); here statistic 0, p-value 1
     *       (both samples are the same one-value distribution; Evidently's Z-test also returns 1 there).</li>
     * </ul>
     */
    public static DriftScore chiSquare(Map<String, Long> reference, Map<String, Long> current) {
        String[] keys = unionKeys(reference, current);
        long[] ref = countsOf(reference, keys);
        long[] cur = countsOf(current, keys);
        long refTotal = total(ref, "reference");
        long curTotal = total(cur, "current");
        int k = keys.length;
        if (k < 2) {
            return new DriftScore(0.0, 1.0);
        }
        double[] expected = new double[k];
        boolean currentOnly = false;
        for (long r : ref) {
            currentOnly |= r == 0;
        }
        if (!currentOnly) {
            double kNorm = curTotal / (double) refTotal;
            for (int i = 0; i < k; i++) {
                expected[i] = ref[i] * kNorm;
            }
        } else {
            double[] shares = filledShares(ref, "reference");
            double sum = 0;
            for (double s : shares) {
                sum += s;
            }
            for (int i = 0; i < k; i++) {
                expected[i] = shares[i] / sum * curTotal;
            }
        }
        double stat = 0;
        for (int i = 0; i < k; i++) {
            double diff = cur[i] - expected[i];
            stat += diff * diff / expected[i];
        }
        double p = ChiSquaredDistribution.of(k - 1).survivalProbability(stat);
        return new DriftScore(stat, p);
    }

    // ------------------------------------------------------------------------------------------------
    // Proportions Z-test

    /**
     * Evidently's {@code z} stat test ({@code z_stattest.py}: {@code _z_stat_test},
     * {@code proportions_diff_z_stat_ind}, {@code proportions_diff_z_test}): if both samples hold one and
     * the same single value, statistic 0 and p = 1. Otherwise the sorted union of the values is taken, the
     * smallest value counts 0 and every other value 1; with {@code p1}, {@code p2} the shares of 1 in the
     * reference ({@code n1} values) and the current data ({@code n2}), the pooled share
     * {@code P = (p1 n1 + p2 n2) / (n1 + n2)} gives {@code z = (p1 - p2) / sqrt(P (1 - P) (1/n1 + 1/n2))} and
     * the two-sided p-value {@code 2 (1 - Φ(|z|))} ({@code scipy.stats.norm.cdf}); no continuity correction.
     *
     * @param order how the values sort (numbers by value, text as Python sorts {@code str})
     */
    public static DriftScore zTest(Map<String, Long> reference, Map<String, Long> current, Comparator<String> order) {
        String[] keys = unionKeys(reference, current);
        long[] ref = countsOf(reference, keys);
        long[] cur = countsOf(current, keys);
        long n1 = total(ref, "reference");
        long n2 = total(cur, "current");
        if (keys.length == 1) {
            return new DriftScore(0.0, 1.0);
        }
        String smallest = keys[0];
        for (String key : keys) {
            if (order.compare(key, smallest) < 0) {
                smallest = key;
            }
        }
        long ones1 = n1 - reference.getOrDefault(smallest, 0L);
        long ones2 = n2 - current.getOrDefault(smallest, 0L);
        double p1 = ones1 / (double) n1;
        double p2 = ones2 / (double) n2;
        double pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
        double z = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2));
        double p = 2 * (1 - NormalDistribution.of(0, 1).cumulativeProbability(Math.abs(z)));
        return new DriftScore(z, p);
    }

    // ------------------------------------------------------------------------------------------------
    // Jensen-Shannon

    /**
     * Evidently's {@code jensenshannon} stat test ({@code jensenshannon.py}, {@code get_binned_data(...,
     * feel_zeroes=False)}: no replacement of empty bins) over given bins:
     * {@code scipy.spatial.distance.jensenshannon(ref_shares, cur_shares)} with the natural log:
     * {@code p = s_ref / Σ s_ref}, {@code q = s_cur / Σ s_cur}, {@code m = (p + q) / 2},
     * {@code JS = sqrt((Σ rel_entr(p, m) + Σ rel_entr(q, m)) / 2)}, {@code rel_entr(x, y) = x ln(x/y)} (0 for x = 0).
     * A sum that rounding makes slightly negative gives 0 here (SciPy would return NaN).
     */
    public static double jensenShannon(long[] referenceCounts, long[] currentCounts) {
        requireSameBins(referenceCounts, currentCounts);
        double[] p = normalisedShares(referenceCounts, "reference");
        double[] q = normalisedShares(currentCounts, "current");
        double left = 0;
        double right = 0;
        for (int i = 0; i < p.length; i++) {
            double m = (p[i] + q[i]) / 2.0;
            left += relEntr(p[i], m);
            right += relEntr(q[i], m);
        }
        double js = left + right;
        return js <= 0 ? 0.0 : Math.sqrt(js / 2.0);
    }

    /**
     * {@link #jensenShannon(long[], long[])} for a categorical column: the bins are the union of the
     * categories with a positive count on either side, a missing key counting 0.
     */
    public static double jensenShannon(Map<String, Long> reference, Map<String, Long> current) {
        String[] keys = unionKeys(reference, current);
        return jensenShannon(countsOf(reference, keys), countsOf(current, keys));
    }

    /** {@code scipy.special.rel_entr(x, y)} for {@code x >= 0, y >= 0}. */
    private static double relEntr(double x, double y) {
        if (x > 0 && y > 0) {
            return x * Math.log(x / y);
        }
        if (x == 0 && y >= 0) {
            return 0;
        }
        return Double.POSITIVE_INFINITY;
    }

    // ------------------------------------------------------------------------------------------------
    // helpers

    /** {@code counts / total}, then SciPy's {@code p / np.sum(p)} renormalisation. */
    private static double[] normalisedShares(long[] counts, String side) {
        long total = total(counts, side);
        double[] shares = new double[counts.length];
        double sum = 0;
        for (int i = 0; i < counts.length; i++) {
            shares[i] = counts[i] / (double) total;
            sum += shares[i];
        }
        for (int i = 0; i < shares.length; i++) {
            shares[i] /= sum;
        }
        return shares;
    }

    /** Shares {@code counts / total} with Evidently's replacement of zero shares ({@code feel_zeroes=True}). */
    private static double[] filledShares(long[] counts, String side) {
        long total = total(counts, side);
        double[] shares = new double[counts.length];
        double minNonZero = Double.POSITIVE_INFINITY;
        boolean zero = false;
        for (int i = 0; i < counts.length; i++) {
            shares[i] = counts[i] / (double) total;
            if (shares[i] != 0) {
                minNonZero = Math.min(minNonZero, shares[i]);
            } else {
                zero = true;
            }
        }
        if (zero) {
            double fill = minNonZero <= EMPTY_SHARE ? minNonZero / 1e6 : EMPTY_SHARE;
            for (int i = 0; i < shares.length; i++) {
                if (shares[i] == 0) {
                    shares[i] = fill;
                }
            }
        }
        return shares;
    }

    private static long total(long[] counts, String side) {
        long total = 0;
        for (long c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException(side + " has a negative count: " + c);
            }
            total = Math.addExact(total, c);
        }
        if (total == 0) {
            throw new IllegalArgumentException(side + " sample is empty (all counts are 0)");
        }
        return total;
    }

    private static void requireSameBins(long[] reference, long[] current) {
        if (reference == null || current == null) {
            throw new IllegalArgumentException("reference and current counts are required");
        }
        if (reference.length != current.length) {
            throw new IllegalArgumentException("reference has " + reference.length + " bins but current has "
                    + current.length);
        }
        if (reference.length == 0) {
            throw new IllegalArgumentException("no bins");
        }
    }

    private static String[] unionKeys(Map<String, Long> reference, Map<String, Long> current) {
        if (reference == null || current == null) {
            throw new IllegalArgumentException("reference and current category counts are required");
        }
        Set<String> keys = new HashSet<>();
        addPositive(reference, keys, "reference");
        addPositive(current, keys, "current");
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("reference sample is empty (no category has a positive count)");
        }
        String[] sorted = keys.toArray(new String[0]);
        Arrays.sort(sorted);
        return sorted;
    }

    private static void addPositive(Map<String, Long> counts, Set<String> keys, String side) {
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            long c = e.getValue() == null ? 0 : e.getValue();
            if (c < 0) {
                throw new IllegalArgumentException(side + " has a negative count for '" + e.getKey() + "': " + c);
            }
            if (c > 0) {
                keys.add(e.getKey());
            }
        }
    }

    private static long[] countsOf(Map<String, Long> counts, String[] keys) {
        long[] out = new long[keys.length];
        for (int i = 0; i < keys.length; i++) {
            Long c = counts.get(keys[i]);
            out[i] = c == null ? 0 : c;
        }
        return out;
    }

    private static void requireSample(double[] sample, String side) {
        if (sample == null || sample.length == 0) {
            throw new IllegalArgumentException(side + " sample is empty");
        }
    }

    private static void requireSortedSample(double[] sample, String side) {
        requireSample(sample, side);
        for (int i = 0; i < sample.length; i++) {
            double v = sample[i];
            if (Double.isNaN(v)) {
                throw new IllegalArgumentException(side + " sample contains NaN: remove missing values first");
            }
            if (i > 0 && v < sample[i - 1]) {
                throw new IllegalArgumentException(side + " sample is not sorted at index " + i);
            }
        }
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    private static double clip(double p) {
        return p < 0 ? 0.0 : p > 1 ? 1.0 : p;
    }
}
