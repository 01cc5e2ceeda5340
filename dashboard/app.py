"""wfh-cube dashboard: the report's visualisation tool over the published warehouse (read-only).

Run: ``streamlit run dashboard/app.py --server.address 127.0.0.1 --server.headless true``
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import streamlit as st

# `streamlit run` puts only dashboard/ on the path: from a checkout that is not installed, its root makes
# `wfh` (and so wfh.dashboard) importable. Installed, `wfh` is found anyway and the root is not a checkout.
ROOT = Path(__file__).resolve().parent.parent
if (ROOT / "wfh" / "__init__.py").is_file() and str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from wfh.dashboard import data  # noqa: E402
from wfh.settings import set_environment_defaults  # noqa: E402

set_environment_defaults()

VIEWS = Path(__file__).resolve().parent / "views"  # not "pages/": that name turns on file-based navigation

# (view file named after the mart it shows, page title, address): addresses keep the report tool's page names.
SECTIONS = {
    "Cycle overview": [
        ("data_capture_overview.py", "Data Capture Overview", "data_capture_overview"),
        ("supply_chain_capabilities.py", "Supply Chain Capabilities", "supply_chain_capabilities"),
    ],
    "Future Occupational Profiles": [
        ("fop_detail.py", "FOP Detail", "fop_detail"),
        ("fop_matrix.py", "FOP Matrix", "fop_matrix"),
        ("future_ksb_summary.py", "Future KSBs Summary", "future_ksbs_summary"),
        ("fop_distribution.py", "FOP Distribution", "fop_distribution"),
    ],
    "Current provision": [
        ("capability_provision_status.py", "Capabilities Matched to Current Provision", "capabilities_matched"),
        ("fop_standard_fit.py", "Fit & Surplus Factors", "fit_surplus_factors"),
        ("fop_standard_fit_matrix.py", "Fit & Surplus Matrix", "fit_surplus_matrix"),
        ("fop_capability_matches.py", "FOP Capability Matches", "fop_capability_matches"),
        ("fop_vs_provision.py", "FOP vs Provision", "fop_vs_provision"),
        ("fop_priorities.py", "FOP Priorities", "fop_priorities"),
    ],
    "Quality": [
        ("data_quality_findings.py", "Data Quality", "data_quality"),
    ],
}

st.set_page_config(page_title="wfh-cube dashboard", layout="wide")


def choose_cycle() -> None:
    """Sidebar cycle picker shared by every page (``?cycle=<id>`` preselects it)."""
    try:
        cycles = data.cycles()
    except data.WarehouseUnavailable as error:
        st.error(str(error))
        st.stop()
    if cycles.empty:
        st.error(f"The warehouse {data.warehouse_file()} has no cycles in marts.data_capture_overview.")
        st.stop()
    ids = cycles["cycle_id"].tolist()
    titles = dict(zip(cycles["cycle_id"], cycles["cycle_title"], strict=False))
    wanted = st.query_params.get("cycle")
    if st.session_state.get("cycle_id") not in ids:
        st.session_state["cycle_id"] = wanted if wanted in ids else ids[-1]
    st.sidebar.selectbox("Cycle", ids, key="cycle_id", format_func=lambda cid: f"{titles.get(cid) or cid} ({cid})")
    run = data.publication()
    published = run.get("finished_at") or datetime.fromtimestamp(data.warehouse_file().stat().st_mtime).strftime(
        "%Y-%m-%d %H:%M"
    )
    st.sidebar.caption(
        f"Warehouse published {published}" + (f"  \nRefresh run `{run['run_id']}` ({run['status']})" if run else "")
    )


DEFAULT = "data_capture_overview"
pages = {
    section: [
        st.Page(VIEWS / file, title=title, url_path=("home" if url == DEFAULT else url), default=(url == DEFAULT))
        for file, title, url in entries
    ]
    for section, entries in SECTIONS.items()
}
# The default page is served at the root ("/", its url_path "home" is only reserved); this twin, left
# out of the menu, keeps the address /data_capture_overview working for links and bookmarks.
default_twin = st.Page(VIEWS / f"{DEFAULT}.py", title="Data Capture Overview", url_path=DEFAULT)
navigation = st.navigation([*[p for ps in pages.values() for p in ps], default_twin], position="hidden")
with st.sidebar:
    for section, section_pages in pages.items():
        st.markdown(f"**{section}**")
        for page in section_pages:
            st.page_link(page)
choose_cycle()
navigation.run()
