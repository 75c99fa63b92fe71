"""zj-gp-broach-brands: Zhejiang 政府采购 公开招标 (丽水, 2021-09) for machine tools.

The goods table gives three foreign reference brands for 深槽加工数控立式内拉床, a
product in the 2020 Zhejiang first-set list (浙江畅尔), and the qualification chapter
demands 同类设备供货业绩 with no clause accepting catalogue listing as equivalent.
Source text: _broach.py (shared with zj_gp_broach_compliant.py).
"""

from _broach import make

globals().update(make("brands"))
