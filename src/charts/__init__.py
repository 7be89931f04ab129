"""Plotly figure builders for the dashboard, each returning a Chart (figure, headline, description, data).

Nothing here imports streamlit; pages, exports and the CLI call these with engine output.
"""

from .base import Chart, apply_layout, empty_chart
from .coverage import coverage_matrix
from .gantt import gantt, timeline_notes
from .governance import rag_at_two_dates as rag_at_two_dates  # explicit re-export
from .governance import risk_grid as risk_grid
from .palette import CATEGORY_COLOURS, RAG_STYLES, Category, contrast_ratio, lightness, text_colour_on
from .performance import caseload_distribution as caseload_distribution  # explicit re-export
from .performance import caseload_trend as caseload_trend
from .performance import kpi_chart as kpi_chart
from .performance import kpi_heatmap as kpi_heatmap
from .performance import share_over_threshold_trend as share_over_threshold_trend
from .performance import workforce_rates_trend as workforce_rates_trend
from .rag import explore_bar, rag_by_group, rag_summary
from .trends import completion_trend, slippage_trend

__all__ = [
    "CATEGORY_COLOURS",
    "Category",
    "Chart",
    "RAG_STYLES",
    "apply_layout",
    "completion_trend",
    "coverage_matrix",
    "contrast_ratio",
    "empty_chart",
    "explore_bar",
    "gantt",
    "timeline_notes",
    "lightness",
    "rag_by_group",
    "rag_summary",
    "slippage_trend",
    "text_colour_on",
]
