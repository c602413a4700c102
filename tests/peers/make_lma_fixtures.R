# Peer fixture for the labour-market-area algorithm: Istat's R package LabourMarketAreas
# (findClusters) on the Sardinia 2001 commuting matrix for several parameter sets; Regis must
# draw the same partition (crates/regis-methods/tests/zones.rs).
#
# Run from the repository root:
#     Rscript tests/peers/make_lma_fixtures.R
# Needs R (>= 4.0) with data.table, and LabourMarketAreas from CRAN
# (install.packages("LabourMarketAreas")). Where CRAN cannot be reached, set LMA_SOURCE to an R
# file that defines findClusters and the functions it calls, taken from the package's source
# (R/LabourMarketAreas.R), and LMA_VERSION to the package version it came from; the fixture
# records which was used.
# Writes crates/regis-methods/tests/fixtures/lma_istat_sardinia.json.
suppressMessages(library(data.table))
peer <- Sys.getenv("LMA_SOURCE")
if (nzchar(peer)) {
  source(peer)
  peer_name <- paste("LabourMarketAreas", Sys.getenv("LMA_VERSION", "(version not given)"),
                     "findClusters, sourced from the package source", sep = " ")
} else {
  suppressMessages(library(LabourMarketAreas))
  peer_name <- paste("LabourMarketAreas", as.character(packageVersion("LabourMarketAreas")))
}
flows <- fread("tests/inputs/sardinia_2001_commuting.csv")
flows[, community_live := as.integer(community_live)]
flows[, community_work := as.integer(community_work)]
sets <- list(
  c(1000, 0.6667, 10000, 0.75),
  c(1000, 0.6, 10000, 0.7),
  c(3000, 0.65, 20000, 0.75)
)
runs <- character(0)
for (s in sets) {
  t0 <- Sys.time()
  out <- findClusters(copy(flows), s[1], s[2], s[3], s[4])
  secs <- as.numeric(Sys.time() - t0, units = "secs")
  cl <- out$lma$clusterList[order(community)]
  cat(sprintf("%s: %d zones, %d reserve entries, %.1f s\n", paste(s, collapse = "/"),
              length(unique(cl$cluster[cl$cluster > 0])), length(out$reserve.list), secs))
  runs <- c(runs, sprintf(
    '{"min_size": %s, "min_self_containment": %s, "target_size": %s, "target_self_containment": %s, "seconds": %.2f, "reserve_entries": %d, "communities": [%s], "clusters": [%s]}',
    s[1], s[2], s[3], s[4], secs, length(out$reserve.list),
    paste(cl$community, collapse = ", "), paste(cl$cluster, collapse = ", ")))
}
json <- sprintf('{"peer": "%s", "R": "%s", "data": "tests/inputs/sardinia_2001_commuting.csv (Istat 2001)", "runs": [\n%s\n]}\n',
                peer_name, R.version.string, paste(runs, collapse = ",\n"))
writeLines(json, "crates/regis-methods/tests/fixtures/lma_istat_sardinia.json", sep = "")
