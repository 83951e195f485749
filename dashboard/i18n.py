"""Every string the dashboard shows, in Vietnamese and English, by key."""

from __future__ import annotations

from typing import Any

LANGS = ("vi", "en")
DEFAULT_LANG = "vi"

STRINGS: dict[str, tuple[str, str]] = {
    # app and pages
    "app_title": ("Chỉ tiêu xây dựng Đảng", "Party-building indicators"),
    "page_overview": ("Tổng quan", "Overview"),
    "page_compare": ("So sánh đơn vị", "Compare units"),
    "page_before_after": ("Trước/sau đợt kiểm điểm", "Before/after a review campaign"),
    "page_explore": ("Khám phá", "Explore"),
    "page_upload": ("Tải lên", "Upload"),
    "page_completeness": ("Tình hình báo cáo", "Completeness"),
    "warehouse_at": ("Kho dữ liệu: `{path}`", "Warehouse: `{path}`"),
    "unknown_param": (
        "Đường dẫn có {name} = “{value}” không có trong dữ liệu; đang hiển thị giá trị mặc định.",
        "The link has {name} = “{value}”, which is not in the data; showing the default instead.",
    ),
    "no_data": (
        "Kho dữ liệu chưa có số liệu nào. Vào trang **Tải lên** để nạp báo cáo, hoặc chạy "
        "`python -m etl init` để nạp dữ liệu mẫu.",
        "The warehouse holds no figures yet. Use the **Upload** page to add reports, or run "
        "`python -m etl init` to load the samples.",
    ),
    # selectors
    "unit": ("Đơn vị", "Unit"),
    "units": ("Đơn vị", "Units"),
    "parent_unit": ("Đơn vị cấp trên", "Parent unit"),
    "indicator": ("Chỉ tiêu", "Indicator"),
    "indicators": ("Chỉ tiêu", "Indicators"),
    "year": ("Năm", "Year"),
    "year_range": ("Khoảng năm", "Years"),
    "period": ("Kỳ báo cáo", "Period"),
    "campaign": ("Đợt kiểm điểm", "Campaign"),
    "copy_link": ("Sao chép liên kết", "Copy link"),
    "copy_link_help": (
        "Liên kết mở lại đúng màn hình này (đơn vị, chỉ tiêu, kỳ, các đợt, ngôn ngữ). Bấm "
        "biểu tượng sao chép ở góc phải ô dưới đây.",
        "This link reopens exactly this view (unit, indicator, period, campaigns, language). "
        "Use the copy icon at the right of the box below.",
    ),
    "campaigns_shown": ("Đợt tô màu trên biểu đồ", "Campaigns shaded on the charts"),
    "years_each_side": ("Số năm mỗi phía", "Years on each side"),
    "all_years": ("Tất cả", "All"),
    "view": ("Dạng bảng", "Layout"),
    "view_pivot": ("Theo năm", "By year"),
    "view_tidy": ("Từng dòng", "One row per value"),
    # overview
    "overview_heading": ("{unit} — năm {year}", "{unit} — {year}"),
    "no_yearly_data": (
        "{unit} chưa có số liệu theo năm.",
        "{unit} has no yearly figures yet.",
    ),
    "illustrative_banner": (
        "⚠ Có số liệu minh họa (không phải số báo cáo chính thức): xem ghi chú dưới từng ô.",
        "⚠ Some figures are illustrative (not officially reported): see the note under each tile.",
    ),
    "rollup_note": ("Tổng hợp từ {n} đơn vị trực thuộc", "Combined from {n} subordinate units"),
    "rollup_missing_parts": (
        "không tính {names}: thiếu tử số hoặc mẫu số",
        "{names} left out: numerator or denominator missing",
    ),
    "rollup_missing_units": (
        "chưa có số liệu kỳ này của {names}",
        "no figure for this period yet from {names}",
    ),
    "vs_year": ("so với {year}", "vs {year}"),
    "target_is": ("Chỉ tiêu đề ra: {value}", "Target: {value}"),
    "tile_help_code": ("Mã chỉ tiêu: `{code}`", "Indicator code: `{code}`"),
    "tile_help_previous": ("Năm trước: {value}", "Previous year: {value}"),
    "tile_help_source": ("Nguồn: {file}", "Source: {file}"),
    "other_periods_heading": ("Số liệu theo nhiệm kỳ và các kỳ khác", "Terms and other periods"),
    "other_periods_caption": (
        "Tổng cộng cả nhiệm kỳ, 6 tháng, quý… có liên quan đến năm đang xem.",
        "Totals over a term, half-years, quarters… that touch the year shown.",
    ),
    "group_socio_economic": ("Kinh tế – xã hội", "Socio-economic"),
    "group_party_organisation": ("Công tác tổ chức đảng", "Party organisation"),
    "group_inspection_discipline": ("Kiểm tra, giám sát, kỷ luật", "Inspection and discipline"),
    "group_inspection": ("Kiểm tra, giám sát, kỷ luật", "Inspection and discipline"),
    "group_campaign_activity": ("Hoạt động của đợt kiểm điểm", "Review campaign activity"),
    "group_campaign": ("Hoạt động của đợt kiểm điểm", "Review campaign activity"),
    # compare
    "no_children_data": (
        "Chưa có đơn vị cấp dưới nào có số liệu theo năm của chỉ tiêu “{indicator}”.",
        "No subordinate unit has yearly figures for “{indicator}” yet.",
    ),
    "no_children_data_at_all": (
        "Chưa có số liệu theo năm của đơn vị cấp dưới nào để so sánh.",
        "No subordinate unit has yearly figures to compare yet.",
    ),
    "ranking_sentence": (
        "Trong {n} đơn vị: tốt nhất là **{best}** ({best_value}); cần cố gắng nhất là "
        "**{worst}** ({worst_value}).",
        "Of {n} units, the best is **{best}** ({best_value}); the one furthest behind is "
        "**{worst}** ({worst_value}).",
    ),
    "ranking_sentence_neutral": (
        "Trong {n} đơn vị: cao nhất là **{best}** ({best_value}); thấp nhất là **{worst}** "
        "({worst_value}).",
        "Of {n} units, the highest is **{best}** ({best_value}); the lowest is **{worst}** "
        "({worst_value}).",
    ),
    "ranked_title": ("{indicator} năm {year}", "{indicator}, {year}"),
    "lines_title": (
        "{indicator} qua các năm — {unit} và đơn vị trực thuộc",
        "{indicator} over the years — {unit} and its units",
    ),
    "table_of_ranking": ("Bảng xếp hạng", "Ranking table"),
    # before/after
    "before_after_intro": (
        "So sánh trung bình các năm trước và sau đợt kiểm điểm; các năm trong đợt không tính.",
        "Compares the average of the years before and after a review campaign; years within "
        "the campaign are left out.",
    ),
    "no_campaigns": (
        "Chưa có đợt kiểm điểm nào áp dụng cho đơn vị này.",
        "No review campaign applies to this unit yet.",
    ),
    "campaign_window": ("{name}: {window}", "{name}: {window}"),
    "series_title": ("{indicator} — {unit}", "{indicator} — {unit}"),
    "ba_insufficient": (
        "Chưa đủ số liệu để so sánh: cần ít nhất một năm trước và một năm sau đợt.",
        "Not enough data to compare: at least one year before and one after the campaign "
        "are needed.",
    ),
    "ba_means": (
        "Trung bình **trước** đợt ({years_before}, {n_before} năm): **{before}**; **sau** đợt "
        "({years_after}, {n_after} năm): **{after}**.",
        "Average **before** the campaign ({years_before}, {n_before} years): **{before}**; "
        "**after** ({years_after}, {n_after} years): **{after}**.",
    ),
    "ba_change_up": ("Tăng **{amount}** ({relative}).", "Up **{amount}** ({relative})."),
    "ba_change_down": ("Giảm **{amount}** ({relative}).", "Down **{amount}** ({relative})."),
    "ba_unchanged": ("Không thay đổi.", "No change."),
    "verdict_better": ("Chiều hướng tốt lên.", "That is an improvement."),
    "verdict_worse": ("Chiều hướng xấu đi.", "That is a deterioration."),
    "ba_trend_above": (
        "Nếu giữ xu hướng của các năm trước đợt, trung bình sau đợt sẽ là {expected}; thực tế "
        "cao hơn {amount}.",
        "Had the trend of the years before continued, the average after would be {expected}; "
        "it is {amount} higher.",
    ),
    "ba_trend_below": (
        "Nếu giữ xu hướng của các năm trước đợt, trung bình sau đợt sẽ là {expected}; thực tế "
        "thấp hơn {amount}.",
        "Had the trend of the years before continued, the average after would be {expected}; "
        "it is {amount} lower.",
    ),
    "ba_beyond_noise": (
        "Mức lệch này lớn hơn dao động thường thấy giữa các năm (ước lượng thô).",
        "That gap is larger than the usual year-to-year scatter (a rough estimate).",
    ),
    "ba_within_noise": (
        "Mức lệch này nằm trong dao động thường thấy giữa các năm, có thể chỉ là ngẫu nhiên "
        "(ước lượng thô).",
        "That gap is within the usual year-to-year scatter and may be chance (a rough estimate).",
    ),
    "ba_illustrative": (
        "{n} giá trị dùng trong phép so sánh là số liệu minh họa, không phải số báo cáo.",
        "{n} of the values compared are illustrative, not reported figures.",
    ),
    "ba_table_heading": ("Số liệu so sánh", "The figures"),
    "ba_row_before": ("Trung bình trước đợt", "Average before"),
    "ba_row_after": ("Trung bình sau đợt", "Average after"),
    "ba_row_change": ("Thay đổi", "Change"),
    "ba_row_relative": ("Thay đổi tương đối", "Relative change"),
    "ba_row_trend": ("Theo xu hướng trước đợt", "Expected from the earlier trend"),
    "ba_excluded": (
        "Không tính các năm trong đợt: {years}.",
        "Years within the campaign left out: {years}.",
    ),
    "mean_before": ("TB trước", "Mean before"),
    "mean_after": ("TB sau", "Mean after"),
    # charts
    "legend_reported": ("Số liệu báo cáo", "Reported"),
    "legend_illustrative": ("Số liệu minh họa", "Illustrative"),
    "legend_preliminary": ("Số liệu sơ bộ", "Preliminary"),
    "legend_target": ("Chỉ tiêu đề ra", "Target"),
    # explore
    "explore_pick": (
        "Chọn ít nhất một chỉ tiêu và một đơn vị.",
        "Choose at least one indicator and one unit.",
    ),
    "explore_empty": (
        "Không có số liệu cho lựa chọn này. Thử mở rộng khoảng năm hoặc chọn đơn vị khác.",
        "No figures for this choice. Try a wider range of years or other units.",
    ),
    "explore_count": (
        "{rows} giá trị · {units} đơn vị · {indicators} chỉ tiêu · {illustrative} giá trị minh họa",
        "{rows} values · {units} units · {indicators} indicators · {illustrative} illustrative",
    ),
    "explore_absent": (
        "Không có số liệu lưu trực tiếp cho: {units}. Số tổng hợp từ đơn vị trực thuộc có ở "
        "trang Tổng quan và So sánh đơn vị.",
        "No figures stored directly for: {units}. Totals combined from subordinate units are "
        "on the Overview and Compare pages.",
    ),
    "explore_truncated": (
        "Chỉ hiển thị {n} dòng đầu tiên. Thu hẹp lựa chọn để xem đủ.",
        "Only the first {n} rows are shown. Narrow the choice to see them all.",
    ),
    "download_csv": ("Tải CSV", "Download CSV"),
    "download_xlsx": ("Tải Excel", "Download Excel"),
    "sheet_table": ("Bảng", "Table"),
    "sheet_data": ("Dữ liệu", "Data"),
    # upload
    "upload_intro": (
        "Tải lên một hoặc nhiều báo cáo Excel (.xlsx, .xlsm, .xls, .ods) hoặc CSV như vẫn "
        "làm. Chương trình kiểm tra từng tệp, cho xem những gì sẽ được lưu, và chỉ lưu khi "
        "bạn bấm nút; mỗi tệp thành một đợt nạp riêng.",
        "Upload one or several Excel (.xlsx, .xlsm, .xls, .ods) or CSV reports as you "
        "already make them. Each file is checked, you see what would be stored, and nothing "
        "is stored until you press the button; each file becomes its own batch.",
    ),
    "loaded_by": ("Người lưu", "Stored by"),
    "loaded_by_hint": ("Họ tên, đơn vị", "Name, office"),
    "loaded_by_needed": (
        "Nhập tên người lưu để có thể lưu vào kho.",
        "Enter who is storing the file to be able to store it.",
    ),
    "upload_hints": ("Khi tệp không ghi rõ…", "When the file does not say…"),
    "upload_hints_caption": (
        "Chỉ điền khi tệp không ghi chỉ tiêu, đơn vị hoặc kỳ báo cáo.",
        "Only fill in what the file itself does not state.",
    ),
    "from_file": ("(theo tệp)", "(from the file)"),
    "period_hint": (
        "vd. 2013; 6 tháng đầu 2025; 2020-2025",
        "e.g. 2013; 6 tháng đầu 2025; 2020-2025",
    ),
    "upload_file": (
        "Tệp báo cáo (chọn một hoặc nhiều tệp)",
        "Report files (choose one or several)",
    ),
    "checking": (
        "Đang kiểm tra tệp {index}/{count}: {file}…",
        "Checking file {index} of {count}: {file}…",
    ),
    "same_content": (
        "{copies}: cùng nội dung với {file}, chỉ kiểm tra và lưu một lần.",
        "{copies}: the same content as {file}; checked and stored once.",
    ),
    "files_heading": ("Các tệp đã chọn ({n})", "The chosen files ({n})"),
    "file_section": ("{file} — {status}", "{file} — {status}"),
    "file_status_ready": ("sẵn sàng lưu", "ready to store"),
    "file_status_confirm": (
        "chờ xác nhận thay giá trị đang lưu",
        "awaiting confirmation to replace stored values",
    ),
    "file_status_errors": ("có lỗi, không lưu được", "has errors, cannot be stored"),
    "file_status_stored_before": ("đã lưu (đợt nạp {batch})", "stored (batch {batch})"),
    "file_status_nothing_new": ("không có gì mới để lưu", "nothing new to store"),
    "file_status_unreadable": ("không kiểm tra được", "could not be checked"),
    "check_failed_unexpected": (
        "Không kiểm tra được {file} vì một lỗi ngoài dự kiến (chi tiết đã ghi vào nhật ký "
        "của máy chủ). Các tệp khác không bị ảnh hưởng; hãy báo cho người quản trị.",
        "{file} could not be checked because of an unexpected error (the details are in the "
        "server's log). The other files are not affected; please tell the administrator.",
    ),
    "files_overlap": (
        "**{first}** và **{second}** cùng có {n} giá trị cho cùng đơn vị, chỉ tiêu và kỳ: "
        "giá trị của tệp lưu sau sẽ được dùng (giá trị trước vẫn giữ trong lịch sử).",
        "**{first}** and **{second}** both hold {n} values for the same unit, indicator and "
        "period: the file stored later gives the current value (the earlier one stays in "
        "the history).",
    ),
    "upload_rejected": (
        "Chưa lưu được {file}: có {n} lỗi. Sửa trong tệp rồi tải lên lại.",
        "{file} cannot be stored: {n} errors. Fix them in the file and upload it again.",
    ),
    "recognised_heading": ("Chương trình đã đọc tệp như sau", "How the file was read"),
    "recognised_table": (
        "Trang **{sheet}**: {layout}; dòng tiêu đề ở ô {header}; cột: {columns}; {cells} ô "
        "số liệu.",
        "Sheet **{sheet}**: {layout}; header row at {header}; columns: {columns}; {cells} "
        "value cells.",
    ),
    "recognised_title": ("Dòng đầu trang ghi: {said}.", "The title lines say: {said}."),
    "recognised_skipped": (
        "Không đọc (ẩn hoặc không có bảng số liệu): {sheets}.",
        "Not read (hidden or no data table): {sheets}.",
    ),
    "layout_long_rows": ("bảng dọc, mỗi dòng một giá trị", "long table, one value per row"),
    "layout_wide_period": ("mỗi cột một kỳ", "one column per period"),
    "layout_wide_indicator": ("mỗi cột một chỉ tiêu", "one column per indicator"),
    "layout_wide_unit": ("mỗi cột một đơn vị", "one column per unit"),
    "layout_wide_period_indicator": (
        "mỗi nhóm cột một kỳ, mỗi cột trong nhóm một chỉ tiêu (dự toán, thực hiện, so sánh)",
        "one group of columns per period, one column per indicator in it (estimate, actual, ratio)",
    ),
    "role_unit": ("đơn vị", "unit"),
    "role_indicator": ("chỉ tiêu", "indicator"),
    "role_period": ("kỳ", "period"),
    "role_period_from": ("từ ngày", "from"),
    "role_period_to": ("đến ngày", "to"),
    "role_value": ("giá trị", "value"),
    "role_target": ("kế hoạch", "target"),
    "role_note": ("ghi chú", "note"),
    "role_source": ("nguồn", "source"),
    "role_status": ("loại số liệu", "data status"),
    "role_measure": ("đơn vị tính", "measure"),
    "map_units_heading": ("**Ghép tên đơn vị**", "**Match unit names**"),
    "map_units_caption": (
        "Chọn đơn vị đúng cho mỗi tên chưa có trong danh mục. Cách ghép được ghi nhớ cho "
        "người/cơ quan gửi báo cáo này, các tệp sau không phải ghép lại.",
        "Choose the right unit for each name the catalogue does not know. The choice is "
        "remembered for this sender, so later files need no matching.",
    ),
    "map_units_choose": ("— chọn đơn vị —", "— choose a unit —"),
    "map_units_remember": ("Ghi nhớ và kiểm tra lại", "Remember and check again"),
    "loaded_by_needed_for_mapping": (
        "Điền “Người lưu” ở trên để ghi nhớ cách ghép cho người/cơ quan đó.",
        "Fill in “Stored by” above to remember the matching for that sender.",
    ),
    "reading_sheet": (
        "Đang đọc tệp {file_index}/{file_count} ({file}): trang {sheet} ({index}/{count})…",
        "Reading file {file_index} of {file_count} ({file}): sheet {sheet} ({index}/{count})…",
    ),
    "confirm_replace": (
        "Tôi xác nhận thay {n} giá trị đang lưu bằng giá trị trong tệp (giá trị cũ vẫn được "
        "giữ trong lịch sử).",
        "I confirm replacing {n} stored values with the file's (the old ones stay in the history).",
    ),
    "marked_copy": ("Tải bản đánh dấu lỗi (.xlsx)", "Download the marked copy (.xlsx)"),
    "marked_copy_help": (
        "Bản sao tệp của bạn, các ô lỗi tô đỏ, ô cần xem lại tô vàng, kèm chú thích; trang "
        "đầu liệt kê mọi lỗi.",
        "A copy of your file with error cells in red and doubtful ones in yellow, each with "
        "a comment; the first sheet lists every problem.",
    ),
    "templates_heading": ("Mẫu báo cáo trống", "Blank report templates"),
    "templates_caption": (
        "Mẫu có sẵn danh sách chọn đơn vị và chỉ tiêu; điền xong tải lên ngay tại đây.",
        "Templates come with drop-down lists of units and indicators; fill one in and "
        "upload it here.",
    ),
    "template_group": ("Nhóm chỉ tiêu", "Indicator group"),
    "template_download": ("Tải mẫu (.xlsx)", "Download the template (.xlsx)"),
    "upload_warnings": ("{n} điểm cần xem lại:", "{n} things to check:"),
    "upload_preview": (
        "**{file}** sẽ lưu **{rows}** giá trị: {units} đơn vị, {indicators} chỉ tiêu, "
        "{periods} kỳ.",
        "**{file}** would store **{rows}** values: {units} units, {indicators} indicators, "
        "{periods} periods.",
    ),
    "already_stored": (
        "Tệp {file} đã được lưu trước đây (đợt nạp {batch}); không cần lưu lại.",
        "{file} was stored before (batch {batch}); there is nothing to store again.",
    ),
    "nothing_new": (
        "Mọi số liệu trong {file} đã có trong kho với cùng giá trị; không có gì mới để lưu.",
        "Every figure in {file} is already stored with the same value; nothing new to store.",
    ),
    "store_file": ("Lưu {file} vào kho", "Store {file} in the warehouse"),
    "store_all": (
        "Lưu mọi tệp không có lỗi vào kho ({n} tệp)",
        "Store every file without errors ({n} files)",
    ),
    "store_all_caption": (
        "Mỗi tệp được lưu thành một đợt nạp riêng, trọn vẹn hoặc không lưu gì; tệp có lỗi "
        "không bao giờ được lưu.",
        "Each file is stored as its own batch, whole or not at all; a file with errors is "
        "never stored.",
    ),
    "store_all_left_out": ("Không lưu cùng: {files}.", "Left out: {files}."),
    "storing_file": (
        "Đang lưu tệp {index}/{count}: {file}…",
        "Storing file {index} of {count}: {file}…",
    ),
    "stored": (
        "Đã lưu {rows} giá trị từ {file}: đợt nạp {batch}, người lưu {who}, lúc {when}.",
        "Stored {rows} values from {file}: batch {batch}, stored by {who} on {when}.",
    ),
    "not_stored": ("Chưa lưu được {file}.", "{file} was not stored."),
    "store_skipped": (
        "Chưa lưu {files}: kết quả kiểm tra đã thay đổi hoặc chưa được xác nhận. Xem lại rồi "
        "bấm lưu lần nữa.",
        "{files} not stored: the check changed or is not confirmed yet. Look again, then "
        "press store again.",
    ),
    "store_failed_unexpected": (
        "Chưa lưu được {file} vì một lỗi ngoài dự kiến (chi tiết đã ghi vào nhật ký của máy "
        "chủ); không phần nào của tệp được lưu.",
        "{file} was not stored because of an unexpected error (the details are in the "
        "server's log); no part of it was stored.",
    ),
    "batches_heading": ("Các đợt nạp số liệu", "Batches"),
    "no_batches": ("Chưa có đợt nạp nào.", "No batches yet."),
    "batch_status_active": ("đang dùng", "active"),
    "batch_status_rolled_back": ("đã hủy", "rolled back"),
    "batch_source_sample": ("dữ liệu mẫu", "sample"),
    "batch_source_cli": ("dòng lệnh", "command line"),
    "batch_source_upload": ("tải lên", "upload"),
    "rollback_heading": ("Hủy một đợt nạp", "Roll back a batch"),
    "rollback_batch": ("Đợt nạp", "Batch"),
    "rollback_confirm": (
        "Tôi hiểu: mọi số liệu của đợt nạp này sẽ bị gỡ khỏi kho (giá trị cũ mà nó thay thế "
        "sẽ được dùng lại).",
        "I understand: every figure of this batch leaves the warehouse (values it replaced "
        "come back).",
    ),
    "rollback": ("Hủy đợt nạp", "Roll back"),
    "rolled_back": (
        "Đã hủy đợt nạp {batch}: gỡ {rows} giá trị.",
        "Rolled back batch {batch}: {rows} values removed.",
    ),
    # completeness
    "completeness_intro": (
        "Đơn vị nào chưa báo cáo chỉ tiêu nào trong kỳ: xem trước khi so sánh.",
        "Which units have not reported which indicators for the period: check before comparing.",
    ),
    "scope": ("Phạm vi", "Scope"),
    "scope_children": ("Đơn vị trực thuộc", "Direct subordinates"),
    "scope_subtree": ("Mọi cấp bên dưới", "All levels below"),
    "period_type": ("Loại kỳ", "Period type"),
    "period_type_year": ("Năm", "Year"),
    "period_type_half": ("6 tháng", "Half-year"),
    "period_type_quarter": ("Quý", "Quarter"),
    "period_type_month": ("Tháng", "Month"),
    "period_type_term": ("Nhiệm kỳ", "Term"),
    "period_type_span": ("Kỳ khác", "Other span"),
    "indicator_group": ("Nhóm chỉ tiêu", "Indicator group"),
    "all_groups": ("Tất cả các nhóm", "All groups"),
    "status_reported": ("Đã báo cáo", "Reported"),
    "status_illustrative": ("Minh họa", "Illustrative"),
    "status_preliminary": ("Sơ bộ", "Preliminary"),
    "status_missing": ("Chưa báo cáo", "Missing"),
    "status_not_applicable": ("Không áp dụng", "Not applicable"),
    "completeness_no_parents": (
        "Chưa có đơn vị cấp dưới nào có số liệu để xem tình hình báo cáo.",
        "No subordinate unit holds figures yet, so there is no reporting to check.",
    ),
    "completeness_no_data_below": (
        "Chưa có đơn vị nào dưới {unit} có số liệu. Chọn phạm vi “Mọi cấp bên dưới” hoặc "
        "đơn vị khác.",
        "No unit under {unit} holds figures. Choose “All levels below” or another unit.",
    ),
    "completeness_no_indicators": (
        "Không có chỉ tiêu nào thuộc nhóm này được các đơn vị dưới {unit} báo cáo theo loại "
        "kỳ đã chọn. Chọn nhóm hoặc loại kỳ khác.",
        "No indicator of this group is reported by the units under {unit} for this period "
        "type. Choose another group or period type.",
    ),
    "completeness_all": (
        "**{period}**: cả {n} đơn vị đã báo cáo đủ {k} chỉ tiêu.",
        "**{period}**: all {n} units reported all {k} indicators.",
    ),
    "completeness_summary": (
        "**{period}**: {complete} trong {n} đơn vị đã báo cáo đủ {k} chỉ tiêu; còn thiếu: "
        "{missing}.",
        "**{period}**: {complete} of {n} units reported all {k} indicators; missing: {missing}.",
    ),
    "completeness_missing_unit": ("{unit} ({n} thiếu)", "{unit} ({n} missing)"),
    "completeness_more": ("và {n} đơn vị khác", "and {n} more"),
    "completeness_not_applicable": (
        "Không áp dụng cho {n} đơn vị chưa thành lập hoặc đã giải thể, sáp nhập trước cuối "
        "kỳ: {units}.",
        "Not applicable to {n} units that did not exist at the end of the period (created "
        "later, or merged or dissolved before): {units}.",
    ),
    "completeness_flagged": (
        "⚠ Trong các ô đã có số liệu: {illustrative} ô là số liệu minh họa, {preliminary} ô "
        "là số liệu sơ bộ.",
        "⚠ Of the cells with figures, {illustrative} are illustrative and {preliminary} "
        "preliminary.",
    ),
    "completeness_expected_note": (
        "Các chỉ tiêu trong lưới: mọi chỉ tiêu mà ít nhất một đơn vị trong phạm vi từng báo "
        "cáo theo loại kỳ này. Di chuột lên từng ô để xem giá trị và tệp nguồn.",
        "The grid lists every indicator that at least one unit in scope has ever reported "
        "for this period type. Hover over a cell for its value and source file.",
    ),
    "completeness_truncated": (
        "Chỉ hiển thị {n} đơn vị đầu tiên trong {total}. Chọn đơn vị cấp trên hẹp hơn để xem đủ.",
        "Only the first {n} of {total} units are shown. Choose a narrower parent unit to "
        "see them all.",
    ),
    "completeness_title": (
        "Tình hình báo cáo — {unit} — {period}",
        "Reporting — {unit} — {period}",
    ),
    "completeness_by_unit": ("Theo đơn vị", "By unit"),
    "completeness_by_indicator": ("Theo chỉ tiêu", "By indicator"),
    "completeness_prepared": ("Lập ngày {date}", "Prepared on {date}"),
    "hover_value": ("Giá trị: {value}", "Value: {value}"),
    "hover_source": ("Tệp: {file} ({where})", "File: {file} ({where})"),
    "hover_batch": ("Đợt nạp {batch}, {when}", "Batch {batch}, {when}"),
    "hover_last": (
        "Kỳ gần nhất có số liệu: {period} ({file})",
        "Latest period with a figure: {period} ({file})",
    ),
    "hover_never": (
        "Chưa từng có số liệu loại kỳ này",
        "Never reported for this period type",
    ),
    "hover_existed": ("Đơn vị tồn tại: {window}", "The unit existed: {window}"),
    "sheet_grid": ("Lưới", "Grid"),
    "sheet_details": ("Chi tiết", "Details"),
    "legend": ("Chú giải", "Legend"),
    # table headers
    "col_unit_name": ("Đơn vị", "Unit"),
    "col_unit_code": ("Mã đơn vị", "Unit code"),
    "col_indicator_name": ("Chỉ tiêu", "Indicator"),
    "col_indicator_code": ("Mã chỉ tiêu", "Indicator code"),
    "col_measure": ("Đơn vị tính", "Measure"),
    "col_period": ("Kỳ", "Period"),
    "col_period_label": ("Kỳ", "Period"),
    "col_period_start": ("Từ ngày", "From"),
    "col_period_end": ("Đến ngày", "To"),
    "col_qualifier": ("Mức", "Qualifier"),
    "col_value": ("Giá trị", "Value"),
    "col_target": ("Chỉ tiêu đề ra", "Target"),
    "col_value_status": ("Loại số liệu", "Kind of figure"),
    "col_note": ("Ghi chú", "Note"),
    "col_source_file": ("Tệp nguồn", "Source file"),
    "col_source_sheet": ("Trang tính", "Sheet"),
    "col_source_cell": ("Ô", "Cell"),
    "col_rank": ("Hạng", "Rank"),
    "col_years": ("Các năm", "Years"),
    "col_n_years": ("Số năm", "Years counted"),
    "col_result": ("Kết quả", "Result"),
    "col_batch_id": ("Đợt nạp", "Batch"),
    "col_file_name": ("Tệp", "File"),
    "col_loaded_by": ("Người lưu", "Stored by"),
    "col_loaded_at": ("Thời điểm", "When"),
    "col_row_count": ("Số giá trị", "Values"),
    "col_source": ("Cách nạp", "Source"),
    "col_status": ("Trạng thái", "Status"),
    "col_sheets": ("Trang đã đọc", "Sheets read"),
    "col_rows_to_store": ("Giá trị sẽ lưu", "Values to store"),
    "col_errors": ("Lỗi", "Errors"),
    "col_warnings": ("Cần xem lại", "To check"),
    "col_n_missing_indicators": ("Số chỉ tiêu thiếu", "Indicators missing"),
    "col_n_expected_indicators": ("Số chỉ tiêu phải báo cáo", "Indicators expected"),
    "col_missing_indicators": ("Chỉ tiêu còn thiếu", "Which indicators"),
    "col_n_missing_units": ("Số đơn vị thiếu", "Units missing"),
    "col_n_expected_units": ("Số đơn vị phải báo cáo", "Units expected"),
    "col_missing_units": ("Đơn vị còn thiếu", "Which units"),
    "col_last_reported": ("Kỳ gần nhất có số liệu", "Latest period with a figure"),
}


def register(strings: dict[str, tuple[str, str]]) -> None:
    """Add a feature module's strings (Vietnamese, English) beside these; a key may be
    defined once only, so two modules cannot silently give one key two meanings."""
    clash = sorted(set(strings) & set(STRINGS))
    if clash:
        raise ValueError(f"strings defined twice: {', '.join(clash)}")
    STRINGS.update(strings)


def normalize_lang(value: Any) -> str:
    """``en`` for English, otherwise the default ``vi``."""
    return "en" if isinstance(value, str) and value.strip().lower() == "en" else DEFAULT_LANG


def t(key: str, lang: str = DEFAULT_LANG, **params: Any) -> str:
    """The string ``key`` in ``lang``, with ``{name}`` placeholders filled from ``params``."""
    vi, en = STRINGS[key]
    template = en if normalize_lang(lang) == "en" else vi
    return template.format(**params) if params else template


def t_or(key: str, lang: str, default: str) -> str:
    """Like :func:`t`, but ``default`` for a key that has no translation (e.g. a new code)."""
    return t(key, lang) if key in STRINGS else default
