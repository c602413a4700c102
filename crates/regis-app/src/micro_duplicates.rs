//! The embedded engine's check that no establishment appears twice in a period, in bounded
//! memory whatever the number of rows.
//!
//! While the rows are aggregated, a 64-bit hash of each (establishment_id, period) is spilled
//! to one of [`BUCKETS`] temporary files, chosen by the hash's top bits (each thread buffers
//! a few thousand hashes per bucket and appends them under the bucket's lock). Afterwards
//! each bucket is read, sorted and scanned for equal neighbours: memory is one bucket per
//! thread (8 bytes × rows / 256). Equal hashes are only candidates (two keys can share a
//! hash, about once in 10^11 pairs): a second scan, run only when there are candidates,
//! compares the keys themselves and reports the second row of a real duplicate with its
//! file, row group and row, and where the first one was.
//!
//! Cost: 8 bytes of temporary disk and one sort step per row; the files are removed when the
//! check ends, whether it succeeds or fails.

use crate::Result;
use regis_data::micro;
use regis_data::{DataError, ErrorKind};
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Temporary bucket files.
pub(crate) const BUCKETS: usize = 256;
/// Hashes a thread buffers per bucket before appending them to its file.
const BUFFERED: usize = 2048;

/// The hash of an (establishment, period) key (SplitMix64's finaliser over both).
pub(crate) fn key_hash(id: i64, period: i32) -> u64 {
    let mut z = (id as u64) ^ (u64::from(period as u32)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn io(path: &Path, e: std::io::Error) -> crate::Error {
    DataError::file(
        ErrorKind::Io,
        path.display().to_string(),
        format!("the duplicate check's temporary file: {e}"),
    )
    .into()
}

/// Records of `width` 64-bit words spilled to [`BUCKETS`] bucket files under a private
/// temporary directory, removed on drop (the duplicate check's key hashes, the dynamics'
/// establishment-period-cell records).
pub(crate) struct Spill {
    dir: PathBuf,
    files: Vec<Mutex<BufWriter<File>>>,
    width: usize,
}

impl Spill {
    /// Creates the bucket files of records of `width` words under the system's temporary
    /// directory.
    pub(crate) fn create(width: usize) -> Result<Spill> {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static JOB: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "regis-spill-{}-{}",
            std::process::id(),
            JOB.fetch_add(1, Ordering::Relaxed)
        ));
        // A new directory of this process's own (never one that exists, nor a link).
        std::fs::create_dir(&dir).map_err(|e| io(&dir, e))?;
        let mut spill = Spill {
            dir,
            files: Vec::with_capacity(BUCKETS),
            width: width.max(1),
        };
        for b in 0..BUCKETS {
            let p = spill.dir.join(format!("{b}.bin"));
            let f = File::create(&p).map_err(|e| io(&p, e))?;
            spill
                .files
                .push(Mutex::new(BufWriter::with_capacity(1 << 16, f)));
        }
        Ok(spill)
    }

    /// A thread's buffer of hashes.
    pub(crate) fn buffer(&self) -> SpillBuffer<'_> {
        SpillBuffer {
            spill: self,
            buckets: (0..BUCKETS)
                .map(|_| Vec::with_capacity(BUFFERED * self.width))
                .collect(),
        }
    }

    fn append(&self, bucket: usize, hashes: &[u64]) -> Result<()> {
        let mut bytes = Vec::with_capacity(hashes.len() * 8);
        for h in hashes {
            bytes.extend_from_slice(&h.to_le_bytes());
        }
        let mut f = self.files[bucket].lock().unwrap_or_else(|e| e.into_inner());
        f.write_all(&bytes).map_err(|e| io(&self.dir, e))
    }

    /// Calls `f` with the records of each bucket (`width` words each, in no order), the
    /// buckets shared among `threads`; returns each thread's result.
    pub(crate) fn for_each_bucket<T: Send>(
        &self,
        threads: usize,
        init: impl Fn() -> T + Sync,
        f: impl Fn(&mut T, &[u64]) + Sync,
    ) -> Result<Vec<T>> {
        for file in &self.files {
            file.lock()
                .unwrap_or_else(|e| e.into_inner())
                .flush()
                .map_err(|e| io(&self.dir, e))?;
        }
        let threads = threads.clamp(1, BUCKETS);
        let results: Vec<Result<T>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    let (dir, init, f) = (&self.dir, &init, &f);
                    s.spawn(move || {
                        let mut state = init();
                        let (mut words, mut bytes) = (Vec::<u64>::new(), Vec::<u8>::new());
                        for b in (t..BUCKETS).step_by(threads) {
                            let p = dir.join(format!("{b}.bin"));
                            bytes.clear();
                            File::open(&p)
                                .and_then(|mut file| file.read_to_end(&mut bytes))
                                .map_err(|e| io(&p, e))?;
                            words.clear();
                            words.extend(bytes.chunks_exact(8).map(|c| {
                                u64::from_le_bytes(c.try_into().expect("chunks of eight bytes"))
                            }));
                            f(&mut state, &words);
                        }
                        Ok(state)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("a spill thread panicked"))
                .collect()
        });
        results.into_iter().collect()
    }

    /// The hashes (records of one word) that occur more than once.
    pub(crate) fn repeated(self, threads: usize) -> Result<HashSet<u64>> {
        let found = self.for_each_bucket(threads, HashSet::new, |found, hashes| {
            let mut hashes = hashes.to_vec();
            hashes.sort_unstable();
            found.extend(hashes.windows(2).filter(|w| w[0] == w[1]).map(|w| w[0]));
        })?;
        Ok(found.into_iter().flatten().collect())
    }
}

impl Drop for Spill {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// One thread's hashes waiting for their bucket files.
pub(crate) struct SpillBuffer<'a> {
    spill: &'a Spill,
    buckets: Vec<Vec<u64>>,
}

impl SpillBuffer<'_> {
    /// Adds the (establishment, period) key hashes of a block (the duplicate check).
    pub(crate) fn add(&mut self, ids: &[i64], periods: &[i32]) -> Result<()> {
        for (&id, &p) in ids.iter().zip(periods) {
            let h = key_hash(id, p);
            self.push((h >> 56) as usize, &[h])?;
        }
        Ok(())
    }

    /// Adds one record (`width` words) to `bucket`.
    pub(crate) fn push(&mut self, bucket: usize, record: &[u64]) -> Result<()> {
        let words = &mut self.buckets[bucket];
        words.extend_from_slice(record);
        if words.len() >= BUFFERED * self.spill.width {
            self.spill.append(bucket, words)?;
            words.clear();
        }
        Ok(())
    }

    /// Writes what is left.
    pub(crate) fn finish(mut self) -> Result<()> {
        for (b, hashes) in self.buckets.iter_mut().enumerate() {
            if !hashes.is_empty() {
                self.spill.append(b, hashes)?;
                hashes.clear();
            }
        }
        Ok(())
    }
}

/// The second scan, when some hashes repeat: the first row whose (establishment, period)
/// was already seen, as a located error; `Ok` when every repeat was two keys sharing a hash.
pub(crate) fn locate(groups: &[(PathBuf, usize, usize)], candidates: &HashSet<u64>) -> Result<()> {
    let mut first: HashMap<(i64, i32), (usize, usize)> = HashMap::new();
    for (k, (file, group, _)) in groups.iter().enumerate() {
        let mut twice: Option<(i64, i32, usize, (usize, usize))> = None;
        micro::for_each_chunk(file, *group, 65_536, true, |b| {
            for r in 0..b.len() {
                let (id, p) = (b.id[r], b.period[r]);
                if twice.is_some() || !candidates.contains(&key_hash(id, p)) {
                    continue;
                }
                let at = (k, b.offset + r + 1);
                if let Some(&seen) = first.get(&(id, p)) {
                    twice = Some((id, p, at.1, seen));
                } else {
                    first.insert((id, p), at);
                }
            }
            Ok(())
        })?;
        if let Some((id, p, row, (seen_group, seen_row))) = twice {
            let (seen_file, seen_k, _) = &groups[seen_group];
            return Err(DataError::file(
                ErrorKind::Duplicate,
                file.display().to_string(),
                format!(
                    "row group {}, row {row}, column `establishment_id`: establishment {id} \
                     appears twice in period {p}; first at {}, row group {}, row {seen_row}; \
                     expected one row per establishment and period",
                    group + 1,
                    seen_file.display(),
                    seen_k + 1
                ),
            )
            .into());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_hashes_are_found_across_buffers_and_threads() {
        let spill = Spill::create(1).unwrap();
        let dir = spill.dir.clone();
        let ids: Vec<i64> = (0..50_000).collect();
        let mut a = spill.buffer();
        a.add(&ids, &vec![2020; ids.len()]).unwrap();
        a.add(&[123, 7], &[2021, 2020]).unwrap();
        a.finish().unwrap();
        let mut b = spill.buffer();
        b.add(&[49_999, 5], &[2020, 2021]).unwrap();
        b.finish().unwrap();
        let got = spill.repeated(2).unwrap();
        let want: HashSet<u64> = [key_hash(7, 2020), key_hash(49_999, 2020)].into();
        assert_eq!(got, want);
        assert!(!dir.exists(), "the temporary files are removed");
    }

    #[test]
    fn the_hash_separates_ids_and_periods() {
        let mut seen = HashSet::new();
        for id in -500..500 {
            for p in 2000..2030 {
                assert!(seen.insert(key_hash(id, p)));
            }
        }
    }
}
