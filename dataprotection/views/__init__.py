"""The data protection pages, one module per topic: records, requests, retention."""
