from hub.csv_export import csv_download


def test_text_cells_that_a_spreadsheet_would_run_as_formulas_are_guarded():
    response, writer = csv_download("figures.csv")
    writer.writerow(["=HYPERLINK(1)", "+1", "-x", "@sum", "Berlin", "< 5", -3, 7])
    assert response["Content-Disposition"] == 'attachment; filename="figures.csv"'
    assert response.content.decode().strip() == "'=HYPERLINK(1),'+1,'-x,'@sum,Berlin,< 5,-3,7"
