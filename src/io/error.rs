//! Why a whole file could not be imported or an export could not be produced. The Display text is
//! shown to the user as is: it says what happened and what to do.

use thiserror::Error;

/// A file that cannot be imported at all (row-level problems are `Reject`s, not errors).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ImportError {
    #[error("文件是空的，没有可导入的内容。请确认选对了文件。")]
    Empty,
    #[error(
        "这个文件不是表格，无法导入。请选择 Excel 文件（.xlsx、.xls）或 CSV 文件；其他格式请先在 Excel/WPS 中另存为 .xlsx。"
    )]
    NotASpreadsheet,
    #[error(
        "这个文件是网页格式的表格（常见于从网站或其他系统导出的 .xls），不是真正的 Excel 文件。请在 Excel/WPS 中打开，另存为 .xlsx 后再导入。"
    )]
    HtmlTable,
    #[error(
        "文件的文字编码无法识别（第 {line} 行附近有乱码），既不是 UTF-8 也不是 GBK。请在 Excel/WPS 中打开，另存为“CSV UTF-8”或 .xlsx 后再导入。"
    )]
    Encoding { line: usize },
    #[error("找不到必需的列：{}。请检查表头（第一行或标题下面的一行）。", .0.join("、"))]
    MissingColumns(Vec<String>),
    #[error("文件设置了打开密码，无法读取。请在 Excel/WPS 中取消密码并另存，再导入。")]
    Password,
    #[error(
        "Excel 文件无法读取，可能已损坏或没有保存完整。请在 Excel/WPS 中打开，另存为 .xlsx 后重试。（详细信息：{0}）"
    )]
    Xlsx(String),
    #[error("旧版 Excel 文件（.xls）无法读取。请在 Excel/WPS 中打开，另存为 .xlsx 后再导入。（详细信息：{0}）")]
    Xls(String),
}

/// An export that could not be produced.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ExportError {
    #[error("数据共 {0} 行，超过 Excel 每个工作表最多 1048575 行数据的限制。请缩小筛选范围分批导出，或导出为 CSV。")]
    TooManyRows(usize),
    #[error("第 {row} 行第 {column} 列的内容超过 Excel 单元格 32767 个字符的上限，请缩短后再导出，或导出为 CSV。")]
    CellTooLong { row: usize, column: usize },
    #[error("生成 Excel 文件失败：{0}。请重试；如果一直失败，请导出为 CSV。")]
    Xlsx(String),
}
