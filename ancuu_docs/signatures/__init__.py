"""Digital signatures of uploaded PDFs, verified with pyHanko against the trust roots kept in
`instance/trust/`; the original is read, never changed."""
