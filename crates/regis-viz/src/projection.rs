//! Map projection for Korea: EPSG:5179 (Korea 2000 / Unified CS), a transverse Mercator on the
//! GRS80 ellipsoid with origin 38°N 127.5°E, scale 0.9996, false easting 1,000,000 m and false
//! northing 2,000,000 m — the projection of Korean national statistical maps.
//!
//! Formulas: the transverse Mercator series of Snyder, J. P. (1987) *Map Projections — A Working
//! Manual*, USGS Professional Paper 1395, pp. 60-64, doi:10.3133/pp1395 (accurate to well under a
//! millimetre within a few degrees of the central meridian, which covers Korea).

const A: f64 = 6_378_137.0;
const F: f64 = 1.0 / 298.257_222_101;

/// EPSG:5179 forward projection: (longitude, latitude) in degrees to (easting, northing) in
/// metres.
///
/// ```
/// use regis_viz::projection::epsg5179;
/// // The projection origin maps to the false origin.
/// let (x, y) = epsg5179(127.5, 38.0);
/// assert!((x - 1_000_000.0).abs() < 1e-6 && (y - 2_000_000.0).abs() < 1e-6);
/// ```
pub fn epsg5179(lon: f64, lat: f64) -> (f64, f64) {
    transverse_mercator(lon, lat, 127.5, 38.0, 0.9996, 1_000_000.0, 2_000_000.0)
}

fn meridian_arc(phi: f64, e2: f64) -> f64 {
    let (e4, e6) = (e2 * e2, e2 * e2 * e2);
    A * ((1.0 - e2 / 4.0 - 3.0 * e4 / 64.0 - 5.0 * e6 / 256.0) * phi
        - (3.0 * e2 / 8.0 + 3.0 * e4 / 32.0 + 45.0 * e6 / 1024.0) * (2.0 * phi).sin()
        + (15.0 * e4 / 256.0 + 45.0 * e6 / 1024.0) * (4.0 * phi).sin()
        - (35.0 * e6 / 3072.0) * (6.0 * phi).sin())
}

/// Transverse Mercator on GRS80 with a given origin, scale and false origin (Snyder 1987,
/// eqs. 8-9 to 8-10).
pub fn transverse_mercator(
    lon: f64,
    lat: f64,
    lon0: f64,
    lat0: f64,
    k0: f64,
    fe: f64,
    fn_: f64,
) -> (f64, f64) {
    let e2 = 2.0 * F - F * F;
    let ep2 = e2 / (1.0 - e2);
    let phi = lat.to_radians();
    let (s, c) = phi.sin_cos();
    let n = A / (1.0 - e2 * s * s).sqrt();
    let t = (s / c).powi(2);
    let cc = ep2 * c * c;
    let a = (lon - lon0).to_radians() * c;
    let m = meridian_arc(phi, e2);
    let m0 = meridian_arc(lat0.to_radians(), e2);
    let x = k0
        * n
        * (a + (1.0 - t + cc) * a.powi(3) / 6.0
            + (5.0 - 18.0 * t + t * t + 72.0 * cc - 58.0 * ep2) * a.powi(5) / 120.0);
    let y = k0
        * (m - m0
            + n * (s / c)
                * (a * a / 2.0
                    + (5.0 - t + 9.0 * cc + 4.0 * cc * cc) * a.powi(4) / 24.0
                    + (61.0 - 58.0 * t + t * t + 600.0 * cc - 330.0 * ep2) * a.powi(6) / 720.0));
    (fe + x, fn_ + y)
}
