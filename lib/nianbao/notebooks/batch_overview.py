# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
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
# ## 跨报告核对
# 同一机关的逐年核对（表三结转、表二存量、大幅变化、缺少年度）与文字复制（与上年重复、与其他机关共用段落）。

# %%
ov.cross_findings(batch)

# %% [markdown] tags=["notebook-only"]
# 记录复核结论：在本单元格下新建单元格，每条一个，例如 `ov.decide(batch, 3, "dismissed", reason="……", reviewer="……")`（编号见上表“#”列；`confirmed` 确认、`dismissed` 不是问题、`accepted` 接受并说明理由、`ask` 询问机关），写入批次的审核记录（review.csv），与单份报告的结论一样列入索引页、findings.xlsx 和反馈意见。

# %% [markdown]
# ## 覆盖情况
# 每个机关在批次中各年度的报告；“缺”为机关年度序列中缺少的一年。

# %%
ov.coverage(batch)

# %% [markdown]
# ## 按时发布

# %%
ov.lateness(batch)

# %% [markdown]
# ## 指标
# 申请量及其变化、实质公开率 =（予以公开 + 部分公开）/ 办结、不予公开与无法提供占比、纠错率（复议和诉讼中被纠正的比例）。

# %%
ov.indicators(batch)

# %%
ov.applications_chart(batch)

# %%
ov.rates_chart(batch)

# %% [markdown]
# ## 共用段落网络

# %%
ov.copy_network(batch)

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
