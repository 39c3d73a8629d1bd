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
# 本工作簿对一份政府信息公开工作年度报告做自动审核：读取、解析、逐条规则检查，并给出每条发现的原文依据。
# 参数在下一个单元格（`report_path` 报告文件，`published` 发布日期 YYYY-MM-DD，`config_path` 配置文件，
# `result_path` 结果 JSON 的写入位置，`previous_path` 同一机关上一年度的报告或其结果 JSON，用于“与上年比较”，
# `review_path` 审核记录文件），可直接修改后“全部运行”，也可由 papermill 注入。
# 报告路径可相对于仓库根目录或 notebooks 文件夹；日期可写作 2024-01-20、2024-1-20、2024/1/20 或 2024年1月20日。

# %% tags=["parameters"]
report_path = "../data/samples/lanxi-market-2023.txt"
published = ""
config_path = ""
result_path = ""
previous_path = ""
review_path = ""

# %%
from nianbao import workbook as nb

# %%
result = nb.load(report_path, published, config_path)

# %%
nb.header(result)

# %% [markdown]
# ## 审核结论

# %%
nb.summary(result)

# %% [markdown]
# ## 发现清单

# %%
nb.findings_table(result)

# %% [markdown]
# ## 复核状态
# 每条发现的复核状态（新出现、待审、已确认、待询问、已接受、非问题）及已解决的问题（已确认、但本次不再出现）。

# %% [markdown] tags=["notebook-only"]
# 记录复核结论：在本单元格下新建单元格，每条一个，例如 `nb.decide(result, 3, "dismissed", reason="……", reviewer="……")`
# （`confirmed` 确认、`dismissed` 不是问题、`accepted` 接受并说明理由、`ask` 询问机关）；也可在 findings.xlsx 的 decision 列填写后用 `nianbao review import` 导入。重新运行批量审核后，索引页与审核页显示结论。

# %%
nb.review(result, review_path)

# %% [markdown]
# ## 逐条举证
# 每条发现附原文上下文（前后各一行，依据所在的文字以高亮标出）；表格类发现可跳转到下方统计表中的对应单元格。

# %%
nb.evidence(result)

# %% [markdown]
# ## 统计表
# 按报告识别出的格式版本，以官方表头展示。红色/橙色单元格有错误/警告，“—”为空值（不按 0 计），蓝色为由粘连数字恢复的数值；鼠标悬停可查看原因。

# %%
nb.table(result, "table2")

# %%
nb.table(result, "table3")

# %%
nb.table(result, "table4")

# %% [markdown]
# ## 图表

# %%
nb.outcomes_chart(result)

# %%
nb.applicants_chart(result)

# %% [markdown]
# ## 与上年比较
# 指定 `previous_path` 时：统计表的变化、表三结转核对、与上年重复的文字（并列展示）。批量审核时不指定：批次中有同一机关上一年度报告的，由批次的跨报告步骤在审核页的本节填入比较（依据整个批次的审核结果）。

# %%
nb.compare(result, previous_path)

# %% [markdown]
# ## 报告正文
# 报告的六个部分，原样展示；发现所依据的文字以高亮标出（悬停可看说明）。

# %%
nb.sections(result)

# %% [markdown]
# ## 检查范围
# 本次运行的规则（编号、检查内容、严重程度、依据）、生效配置与工具版本。

# %%
nb.checked(result)

# %% [markdown]
# ## 结果文件

# %%
nb.write_result(result, result_path)
