"""What the meeting pack says, in Vietnamese and English (registered with :mod:`dashboard.i18n`)."""

from __future__ import annotations

from dashboard.i18n import register

STRINGS: dict[str, tuple[str, str]] = {
    "page_meeting_pack": ("Tài liệu họp", "Meeting pack"),
    "pack_intro": (
        "Một tệp PDF để phát hoặc chiếu trong cuộc họp, cho một đơn vị và một năm: trang bìa "
        "(đơn vị, kỳ, ngày lập), bảng tổng quan các chỉ tiêu, xếp hạng các đơn vị trực thuộc, "
        "biểu đồ diễn biến có tô các đợt kiểm điểm, tình hình báo cáo và nguồn của từng số "
        "liệu (đợt nạp, tệp, số liệu minh họa). Tệp Excel chứa cùng các bảng đó.",
        "One PDF to hand out or project in a meeting, for one unit and one year: a title page "
        "(unit, period, date prepared), the overview of its indicators, the ranking of its "
        "units, charts over the years with the review campaigns shaded, who has reported, and "
        "the source of every figure (batch, file, illustrative figures). The Excel file holds "
        "the same tables.",
    ),
    "pack_key_note": (
        "Chỉ tiêu chính (xếp hạng và biểu đồ): các chỉ tiêu đơn vị có số liệu năm {year}, theo "
        "thứ tự của trang Tổng quan, trừ tử số và mẫu số của một tỷ lệ đã có trong danh sách; "
        "tối đa {n} chỉ tiêu.",
        "Key indicators (ranking and charts): the indicators the unit has figures for in "
        "{year}, in the Overview page's order, leaving out the numerator and denominator of a "
        "rate that is listed itself; at most {n}.",
    ),
    "pack_time_note": (
        "Tệp PDF mất khoảng 10 giây để tạo (vẽ biểu đồ và in trong Chromium).",
        "The PDF takes about 10 seconds to build (charts drawn and printed in Chromium).",
    ),
    "pack_download_pdf": ("Tải tài liệu họp (PDF)", "Download the meeting pack (PDF)"),
    "pack_download_xlsx": ("Tải các bảng (Excel)", "Download the tables (Excel)"),
    "pack_no_year": (
        "{unit} chưa có số liệu theo năm nên chưa lập được tài liệu họp.",
        "{unit} has no yearly figures yet, so there is no meeting pack to make.",
    ),
    # errors (CLI and page)
    "pack_unknown_unit": (
        "Không có đơn vị mã “{unit}” trong danh mục. Dùng mã của một đơn vị có số liệu, ví "
        "dụ: {examples}.",
        "There is no unit with the code “{unit}” in the catalogue. Use the code of a unit "
        "with figures, for example: {examples}.",
    ),
    "pack_no_data_for_year": (
        "{unit} ({code}) không có số liệu năm {year}. Chọn một năm có số liệu: {years}.",
        "{unit} ({code}) has no figures for {year}. Choose a year with figures: {years}.",
    ),
    "pack_no_data_at_all": (
        "{unit} ({code}) chưa có số liệu theo năm nào. Chọn đơn vị khác, hoặc nạp báo cáo "
        "bằng `python -m etl load`.",
        "{unit} ({code}) has no yearly figures at all. Choose another unit, or load reports "
        "with `python -m etl load`.",
    ),
    "pack_no_browser": (
        "Không tìm thấy Chromium ở {path} để in PDF. Trên Debian: apt-get install chromium "
        "(hoặc đặt biến môi trường BROWSER_PATH).",
        "Chromium was not found at {path} to print the PDF. On Debian: apt-get install "
        "chromium (or set the BROWSER_PATH environment variable).",
    ),
    "pack_failed": (
        "Không tạo được tài liệu họp: {reason}",
        "The meeting pack could not be made: {reason}",
    ),
    "pack_cli_bad_year": (
        "Năm phải là một số, ví dụ --year 2012 (nhận được “{value}”).",
        "The year must be a number, e.g. --year 2012 (got “{value}”).",
    ),
    "pack_cli_done": ("Xong sau {seconds} giây.", "Done in {seconds} seconds."),
    # the document
    "pack_kicker": ("TÀI LIỆU HỌP", "MEETING PACK"),
    "pack_title": ("Tài liệu họp — {unit} — năm {year}", "Meeting pack — {unit} — {year}"),
    "pack_period": ("Kỳ: năm {year}", "Period: the year {year}"),
    "pack_prepared": ("Lập ngày {date}", "Prepared on {date}"),
    "pack_parent": ("Trực thuộc: {parent}", "Part of: {parent}"),
    "pack_code": ("Mã đơn vị: {code}", "Unit code: {code}"),
    "pack_contents": ("Nội dung", "Contents"),
    "pack_footer": ("{unit} — năm {year} — lập ngày {date}", "{unit} — {year} — prepared {date}"),
    "pack_page": ("Trang", "Page"),
    "pack_illustrative_notice": (
        "⚠ Tài liệu có {n} số liệu minh họa (không phải số báo cáo chính thức), ghi “minh "
        "họa” ngay cạnh số.",
        "⚠ This pack holds {n} illustrative figures (not officially reported), each marked "
        "“illustrative” beside the number.",
    ),
    "pack_preliminary_notice": (
        "{n} số liệu là số sơ bộ, ghi “sơ bộ” cạnh số.",
        "{n} figures are preliminary, marked “preliminary” beside the number.",
    ),
    "pack_all_reported": (
        "Mọi số liệu trong tài liệu là số báo cáo.",
        "Every figure in this pack is a reported figure.",
    ),
    "pack_section_overview": ("Tổng quan các chỉ tiêu năm {year}", "Indicators in {year}"),
    "pack_section_ranking": ("Xếp hạng các đơn vị trực thuộc", "Ranking of its units"),
    "pack_section_charts": ("Diễn biến qua các năm", "Over the years"),
    "pack_section_completeness": ("Tình hình báo cáo năm {year}", "Reporting in {year}"),
    "pack_section_sources": ("Nguồn số liệu", "Sources of the figures"),
    "pack_overview_caption": (
        "Giá trị của đơn vị năm {year}; nếu đơn vị không tự báo cáo, số được tổng hợp từ các "
        "đơn vị trực thuộc (cộng các số đếm; tỷ lệ tính lại bằng Σ tử số / Σ mẫu số). Thay "
        "đổi so với năm {previous}: điểm % với tỷ lệ, % với các số khác.",
        "The unit's figures for {year}; where it did not report one itself, the figure is "
        "combined from its units (counts added; rates recomputed as Σ numerator / Σ "
        "denominator). Change from {previous}: percentage points for rates, percent otherwise.",
    ),
    "pack_no_overview": (
        "Đơn vị không có số liệu năm {year}.",
        "The unit has no figures for {year}.",
    ),
    "pack_no_children": (
        "{unit} không có đơn vị trực thuộc có số liệu năm {year} cho các chỉ tiêu chính.",
        "{unit} has no units with figures for {year} on its key indicators.",
    ),
    "pack_unit_value": ("Giá trị của {unit}: {value}", "{unit}'s value: {value}"),
    "pack_rank_gap": (
        "… {n} đơn vị ở giữa bảng xếp hạng không in ở đây; bảng đầy đủ có trong tệp Excel.",
        "… {n} units in the middle of the ranking are not printed here; the Excel file has "
        "them all.",
    ),
    "pack_grid_trimmed": (
        "In {shown} trong {n} đơn vị, các đơn vị còn thiếu báo cáo trước; lưới đầy đủ có "
        "trong tệp Excel.",
        "{shown} of {n} units printed, those with missing reports first; the Excel file has "
        "the whole grid.",
    ),
    "pack_no_chart": (
        "Chưa đủ số liệu theo năm để vẽ diễn biến (cần ít nhất hai năm).",
        "Not enough yearly figures to chart (at least two years are needed).",
    ),
    "pack_series_caption": (
        "Các năm đến {year}. Vòng tròn rỗng: số liệu minh họa; hình thoi: số sơ bộ; dải màu: "
        "các đợt kiểm điểm và sắp xếp tổ chức.",
        "Years up to {year}. Hollow circles: illustrative figures; diamonds: preliminary; "
        "shaded bands: review campaigns and reorganisations.",
    ),
    "pack_campaigns": ("Các đợt tô màu trên biểu đồ", "The shaded windows"),
    "pack_no_completeness": (
        "{unit} không có đơn vị trực thuộc để xem tình hình báo cáo.",
        "{unit} has no units below it whose reporting could be checked.",
    ),
    "pack_sources_caption": (
        "Mỗi số liệu trong tài liệu ghi đợt nạp mà nó lấy từ (cột Nguồn). Số tổng hợp ghi các "
        "đợt nạp của những số liệu đơn vị trực thuộc đã được cộng vào. Bảng dưới cho biết mỗi "
        "đợt nạp là tệp nào, ai nạp, lúc nào, và bao nhiêu số liệu dùng trong tài liệu là số "
        "minh họa hay sơ bộ.",
        "Every figure in this pack names the batch it comes from (column Source). A combined "
        "figure names the batches of the figures of its units that were added up. The table "
        "below says which file each batch is, who loaded it and when, and how many of the "
        "stored values this pack uses are illustrative or preliminary.",
    ),
    "pack_batches": ("Đợt {ids}", "Batch {ids}"),
    "pack_key_indicators": ("Chỉ tiêu chính", "Key indicators"),
    # table headers of the pack (col_* keys the dashboard lacks)
    "pack_col_group": ("Nhóm chỉ tiêu", "Indicator group"),
    "pack_col_change": ("Thay đổi", "Change"),
    "pack_col_change_unit": ("Đơn vị của thay đổi", "Change measured in"),
    "pack_col_previous_value": ("Năm trước", "Previous year"),
    "pack_col_previous_status": ("Loại số liệu năm trước", "Kind of previous figure"),
    "pack_col_how": ("Cách có số liệu", "How the figure was made"),
    "pack_col_sources": ("Nguồn (đợt nạp)", "Source (batches)"),
    "pack_col_source_files": ("Tệp nguồn", "Source files"),
    "pack_col_year": ("Năm", "Year"),
    "pack_col_campaign_code": ("Mã đợt", "Code"),
    "pack_col_campaign_name": ("Đợt", "Campaign"),
    "pack_col_start_date": ("Từ ngày", "From"),
    "pack_col_end_date": ("Đến ngày", "To"),
    "pack_col_n_values": ("Số giá trị dùng trong tài liệu", "Values used in this pack"),
    "pack_col_n_illustrative": ("Trong đó minh họa", "Of which illustrative"),
    "pack_col_n_preliminary": ("Trong đó sơ bộ", "Of which preliminary"),
    "pack_col_has_illustrative": ("Có số minh họa", "Holds illustrative figures"),
    "pack_how_reported": ("Đơn vị báo cáo", "Reported by the unit"),
    "pack_how_parts": (
        "Tính từ tử số và mẫu số của đơn vị",
        "Computed from the unit's numerator and denominator",
    ),
    "pack_how_rollup": ("Tổng hợp từ {n} đơn vị trực thuộc", "Combined from {n} units"),
    "pack_change_points": ("điểm %", "percentage points"),
    "pack_change_percent": ("%", "%"),
    "pack_sheet_overview": ("Tổng quan", "Overview"),
    "pack_sheet_ranking": ("Xếp hạng", "Ranking"),
    "pack_sheet_series": ("Diễn biến", "Over the years"),
    "pack_sheet_campaigns": ("Đợt kiểm điểm", "Campaigns"),
    "pack_sheet_completeness": ("Tình hình báo cáo", "Reporting"),
    "pack_sheet_sources": ("Nguồn số liệu", "Sources"),
    "pack_xlsx_marking": (
        "Số liệu minh họa và sơ bộ được ghi trong cột “Loại số liệu” và tô nền vàng nhạt.",
        "Illustrative and preliminary figures are named in the “Kind of figure” column and "
        "shaded light yellow.",
    ),
    "pack_yes": ("có", "yes"),
}

register(STRINGS)
