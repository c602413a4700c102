# Peer fixture for `regis micro ellison-glaeser`: REAT's ellison.a2 (Wieland, REAT 3.0.3,
# "Regional Economic Analysis Toolbox") computes, per industry, the Ellison-Glaeser (1997)
# agglomeration index from plant-level employment: G = sum_j (s_ij - s_j)^2 with the regions'
# shares s_j of all plants' employment, the plant Herfindahl H = sum_k (e_k / e_i)^2 (its herf),
# and gamma = (G - (1 - sum s_j^2) H) / ((1 - sum s_j^2)(1 - H)). Regis must give the same
# gamma, G and H for every industry and period (crates/regis-app/tests/micro_reports.rs).
#
# The input, crates/regis-app/tests/fixtures/micro_establishments_synthetic.csv, is SYNTHETIC
# (real establishment data are confidential): 8,000 rows written by
#     regis data generate-establishments --rows 8000 --seed 7 --periods 2 --start-period 2019 -o eg.parquet
# and copied to CSV with DuckDB (COPY (SELECT * FROM 'eg.parquet' ORDER BY period,
# establishment_id) TO '...csv' (HEADER)). Regions are aggregated to provinces (the SGIS
# district code's first two digits) and KOSIS GRDP activities to depth 2 (C1..C7 under C), as
# `regis micro ellison-glaeser --level province --industry-depth 2` does.
#
# REAT's coagglomeration (ellison.c) is not used: it sums the industries' regional shares
# (x_j = sum_i e_ij / e_i) where Ellison & Glaeser take the group's share, and weights every
# gamma_i by sum_i s_i^2 instead of w_i^2, so its formula does not coincide with EG's eq. 14.
#
# Run from the repository root:
#     Rscript tests/peers/make_micro_ellison_glaeser_fixture.R
# Needs R (>= 4.0) with REAT (install.packages("REAT")). Where CRAN cannot be reached, set
# REAT_SOURCE to a folder holding the package's R/ellison.a.R, R/ellison.a2.R and R/herf.R
# from its source, and REAT_VERSION to the version they came from; the fixture records which
# was used. Writes crates/regis-app/tests/fixtures/micro_ellison_glaeser_reat.json.
peer <- Sys.getenv("REAT_SOURCE")
if (nzchar(peer)) {
  for (f in c("herf.R", "ellison.a.R", "ellison.a2.R")) source(file.path(peer, f))
  peer_name <- paste("REAT", Sys.getenv("REAT_VERSION", "(version not given)"),
                     "ellison.a2, sourced from the package source")
} else {
  suppressMessages(library(REAT))
  peer_name <- paste("REAT", as.character(packageVersion("REAT")), "ellison.a2")
}
input <- "crates/regis-app/tests/fixtures/micro_establishments_synthetic.csv"
e <- read.csv(input, colClasses = c(region = "character", industry = "character"))
e$province <- substr(e$region, 1, 2)
e$industry2 <- ifelse(grepl("^C[0-9]$", e$industry), "C", e$industry)
rows <- list()
for (p in sort(unique(e$period))) {
  d <- e[e$period == p, ]
  eg <- ellison.a2(d$employees, d$industry2, d$province, print.results = FALSE)
  for (i in rownames(eg)) {
    rows[[length(rows) + 1]] <- list(
      period = p, industry = i,
      gamma = unname(eg[i, "Gamma i"]), raw_concentration = unname(eg[i, "G i"]),
      plant_herfindahl = unname(eg[i, "HHI i"]),
      establishments = sum(d$industry2 == i))
  }
}
# A gamma that REAT gives as Inf or NaN (one plant: H = 1) is written as null: undefined.
fmt <- function(x) {
  if (is.character(x)) paste0('"', x, '"') else if (!is.finite(x)) "null" else sprintf("%.17g", x)
}
objects <- vapply(rows, function(r) {
  paste0("{", paste(sprintf('"%s": %s', names(r), vapply(r, fmt, "")), collapse = ", "), "}")
}, "")
json <- paste0(
  '{\n  "peer": "', peer_name, '",\n',
  '  "input": "', input, '",\n',
  '  "level": "province", "industry_depth": 2,\n',
  '  "rows": [\n    ', paste(objects, collapse = ",\n    "), "\n  ]\n}\n")
writeLines(json, "crates/regis-app/tests/fixtures/micro_ellison_glaeser_reat.json", sep = "")
cat("wrote", length(rows), "industry-periods\n")
