"""The S3 door: S3-compatible ``GetObject`` and ``HeadObject`` of Cardinal's own export artifacts,
path-style under ``/s3`` (``GET /s3/<bucket>/<key>``), so the ``s3://`` URI an export job reports
can be fetched with any S3 client. Every other S3 operation is answered ``NotImplemented``."""
