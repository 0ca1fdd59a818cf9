"""The data protection forms, one module per topic: records, requests, retention."""
