//! Decoding files to UTF-8: BOM and UTF-8 detection, CP949/EUC-KR fallback (the encoding of
//! KOSIS CSV downloads), or an encoding named by the user.

use crate::error::{DataError, ErrorKind, Result};

/// A text encoding Regis reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8, with or without BOM.
    Utf8,
    /// CP949 (Unified Hangul Code), a superset of EUC-KR.
    Cp949,
    /// UTF-16 with BOM (Excel's "Unicode text").
    Utf16,
}

impl Encoding {
    /// Parses `utf-8`, `utf8`, `cp949`, `euc-kr`, `uhc`, `ms949`, `utf-16`; `auto` gives None.
    pub fn parse(name: &str) -> Result<Option<Encoding>> {
        match name.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "auto" | "" => Ok(None),
            "utf-8" | "utf8" => Ok(Some(Encoding::Utf8)),
            "cp949" | "euc-kr" | "euckr" | "uhc" | "ms949" | "windows-949" => {
                Ok(Some(Encoding::Cp949))
            }
            "utf-16" | "utf16" => Ok(Some(Encoding::Utf16)),
            other => Err(DataError::argument(format!(
                "unknown encoding `{other}`; expected auto, utf-8, cp949 (= euc-kr) or utf-16"
            ))),
        }
    }

    /// Name for messages.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Cp949 => "cp949",
            Encoding::Utf16 => "utf-16",
        }
    }
}

/// Non-ASCII characters that decode as UTF-8, and invalid UTF-8 sequences. CP949 text forms
/// almost no valid multi-byte UTF-8 sequences, so many valid ones beside a few invalid ones
/// mean a damaged UTF-8 file.
fn utf8_evidence(mut bytes: &[u8]) -> (usize, usize) {
    let (mut chars, mut bad) = (0, 0);
    loop {
        match std::str::from_utf8(bytes) {
            Ok(s) => {
                chars += s.chars().filter(|c| !c.is_ascii()).count();
                return (chars, bad);
            }
            Err(e) => {
                let (ok, rest) = bytes.split_at(e.valid_up_to());
                chars += std::str::from_utf8(ok)
                    .map(|s| s.chars().filter(|c| !c.is_ascii()).count())
                    .unwrap_or(0);
                bad += 1;
                let skip = e.error_len().unwrap_or(rest.len()).max(1);
                bytes = &rest[skip.min(rest.len())..];
            }
        }
    }
}

fn line_of(bytes: &[u8], offset: usize) -> usize {
    1 + bytes[..offset.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

/// Decodes `bytes` of `file` to a string. With `encoding` None, a UTF-8 BOM or valid UTF-8 is
/// read as UTF-8, a UTF-16 BOM as UTF-16, anything else as CP949; bytes invalid in the chosen
/// encoding are an error naming the line. Binary content (NUL bytes) is refused.
pub fn decode(bytes: &[u8], file: &str, encoding: Option<Encoding>) -> Result<(String, Encoding)> {
    let utf16_bom = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    if !utf16_bom && encoding != Some(Encoding::Utf16) {
        if let Some(pos) = bytes.iter().position(|&b| b == 0) {
            return Err(DataError::file(
                ErrorKind::Encoding,
                file,
                "binary content (a NUL byte): expected a text CSV file; spreadsheets must end in .xlsx",
            )
            .at_line(line_of(bytes, pos)));
        }
    }
    let chosen = match encoding {
        Some(e) => e,
        None if utf16_bom => Encoding::Utf16,
        None if std::str::from_utf8(bytes).is_ok() => Encoding::Utf8,
        None => {
            // Not UTF-8. If it is mostly UTF-8 with a few bad bytes, it is a damaged UTF-8 file,
            // not CP949: say so rather than decode garbage.
            let err = std::str::from_utf8(bytes).unwrap_err();
            let (utf8_chars, bad) = utf8_evidence(bytes);
            if utf8_chars >= 3 && utf8_chars >= 2 * bad {
                return Err(DataError::file(
                    ErrorKind::Encoding,
                    file,
                    format!(
                        "the file is UTF-8 ({utf8_chars} non-ASCII characters) with {bad} invalid byte sequence(s), the first here; it was probably pieced together from two encodings: re-save it as UTF-8, or name its encoding with --encoding"
                    ),
                )
                .at_line(line_of(bytes, err.valid_up_to())));
            }
            let (_, _, cp_err) = encoding_rs::EUC_KR.decode(bytes);
            if cp_err {
                return Err(DataError::file(
                    ErrorKind::Encoding,
                    file,
                    "bytes are neither valid UTF-8 nor CP949/EUC-KR; re-save the file as UTF-8 or name its encoding with --encoding",
                )
                .at_line(line_of(bytes, err.valid_up_to())));
            }
            Encoding::Cp949
        }
    };
    let text = match chosen {
        Encoding::Utf8 => {
            let b = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
            match std::str::from_utf8(b) {
                Ok(s) => s.to_string(),
                Err(e) => {
                    return Err(DataError::file(
                        ErrorKind::Encoding,
                        file,
                        "invalid UTF-8; if the file came from KOSIS or Excel in Korea, try --encoding cp949",
                    )
                    .at_line(line_of(b, e.valid_up_to())))
                }
            }
        }
        Encoding::Cp949 => {
            let (s, had_errors) = encoding_rs::EUC_KR
                .decode_without_bom_handling_and_without_replacement(bytes)
                .map(|s| (s.into_owned(), false))
                .unwrap_or_else(|| (String::new(), true));
            if had_errors {
                let (lossy, _, _) = encoding_rs::EUC_KR.decode(bytes);
                let line = lossy
                    .find('\u{FFFD}')
                    .map(|p| 1 + lossy[..p].matches('\n').count())
                    .unwrap_or(1);
                return Err(DataError::file(
                    ErrorKind::Encoding,
                    file,
                    "invalid CP949/EUC-KR bytes; try --encoding utf-8",
                )
                .at_line(line));
            }
            s
        }
        Encoding::Utf16 => {
            let (s, _, had_errors) = encoding_rs::UTF_16LE.decode(bytes);
            if had_errors {
                return Err(DataError::file(
                    ErrorKind::Encoding,
                    file,
                    "invalid UTF-16 text",
                ));
            }
            s.into_owned()
        }
    };
    Ok((text, chosen))
}
