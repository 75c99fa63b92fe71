"""zj-gp-broach-compliant: the same project as zj-gp-broach-brands, drafted in line with
the Zhejiang first-set rules: the brand list includes the first-set maker (浙江畅尔)
followed by 或同等及以上, the 业绩 condition is followed by the equivalence clause for
catalogue products, and first-set products earn a scoring bonus.
Source text: _broach.py.
"""

from _broach import make

globals().update(make("compliant"))
