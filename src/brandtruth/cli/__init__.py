"""`python -m brandtruth.cli`: run, batch, review and inspect BrandTruth runs from a terminal over HTTP.

python -m brandtruth.cli run https://example.com --variants 3 --approve v1,v2
python -m brandtruth.cli batch urls.txt --concurrency 4
python -m brandtruth.cli status pipeline-1a2b3c4d5e6f
python -m brandtruth.cli health --server http://localhost:8000
"""
