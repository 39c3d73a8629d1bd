# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["notebook-only"]
# 一批年度报告的审核结果概览。参数 `batch_dir` 是 `python -m nianbao batch` 的输出目录（含 `manifest.json` 与每份报告的 `result.json`）。

# %% tags=["parameters"]
batch_dir = "../outputs/samples"

# %%
from nianbao.workbook import overview as ov

# %%
batch = ov.load_batch(batch_dir)

# %%
ov.batch_header(batch)

# %% [markdown]
# ## 报告 × 规则类别
# 每格为该报告在该类规则下的发现条数，颜色越深越多。

# %%
ov.family_heatmap(batch)

# %% [markdown]
# ## 最常见的问题

# %%
ov.top_findings(batch)

# %% [markdown]
# ## 分布

# %%
ov.status_counts(batch)

# %%
ov.findings_histogram(batch)

# %%
ov.family_chart(batch)

# %% [markdown]
# ## 全部报告

# %%
ov.reports_table(batch)
