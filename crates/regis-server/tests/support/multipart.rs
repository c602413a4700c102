//! A multipart/form-data body of the import page's form (CSRF token, language, template kind
//! and one file), shared by the in-process security suite and the one against `regis serve`.

/// The content type and body of an upload of `bytes` as `file_name`.
pub fn multipart(csrf: &str, kind: &str, file_name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "regis-test-boundary-3f9c";
    let mut body = Vec::new();
    for (name, value) in [("csrf", csrf), ("lang", "en"), ("kind", kind)] {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
    body.extend(bytes);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// The CSRF token a form page carries.
pub fn csrf_of(page: &str) -> String {
    page.split("name=csrf value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap()
        .to_string()
}
