# The R side of `regis bench --task lma` (run by bench_peer.py): Istat's LabourMarketAreas
# findClusters on the Sardinia matrix Regis copied to DIR, timed as the median of three runs, the
# partition written back as JSON. Usage: Rscript tests/peers/bench_lma.R DIR
# Needs R with data.table and LabourMarketAreas (CRAN); or LMA_SOURCE, as for
# make_lma_fixtures.R.
suppressMessages(library(data.table))
d <- commandArgs(trailingOnly = TRUE)[1]
peer <- Sys.getenv("LMA_SOURCE")
if (nzchar(peer)) source(peer) else suppressMessages(library(LabourMarketAreas))
flows <- fread(file.path(d, "lma_flows.csv"))
flows[, community_live := as.integer(community_live)]
flows[, community_work := as.integer(community_work)]
times <- numeric(0)
for (run in 1:3) {
  t0 <- Sys.time()
  out <- findClusters(flows, 1000, 0.6667, 10000, 0.75)
  times <- c(times, as.numeric(Sys.time() - t0, units = "secs"))
}
secs <- median(times)
cl <- out$lma$clusterList[order(community)]
writeLines(sprintf('{"lma_seconds": %.3f, "lma_communities": [%s], "lma_clusters": [%s]}',
                   secs, paste(cl$community, collapse = ", "), paste(cl$cluster, collapse = ", ")),
           file.path(d, "lma_peer.json"))
