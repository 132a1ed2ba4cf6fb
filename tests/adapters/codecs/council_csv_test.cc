#include "adapters/codecs/council_csv.h"

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace hub::codecs {
namespace {

size_t CountColumns(std::string_view header) {
  return static_cast<size_t>(std::count(header.begin(), header.end(), ',')) + 1;
}

TEST(CouncilCsvTest, QuotesFieldsAsRfc4180Requires) {
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField(""), "");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"no\""), "\"say \"\"no\"\"\"");
  EXPECT_EQ(CsvField("line1\nline2"), "\"line1\nline2\"");
  EXPECT_EQ(CsvField("cr\rhere"), "\"cr\rhere\"");
}

TEST(CouncilCsvTest, DefusesSpreadsheetFormulas) {
  EXPECT_EQ(CsvField("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
  EXPECT_EQ(CsvField("+44 113"), "'+44 113");
  EXPECT_EQ(CsvField("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(CsvField("-1"), "'-1");
}

TEST(CouncilCsvTest, WritesAHeaderAndOneRowPerAlertWithCrlf) {
  std::vector<DeliveredAlert> alerts(2);
  alerts[0].header.set_kind(sghub::v1::ALERT_KIND_CONCERN);
  alerts[0].header.set_category(sghub::v1::CATEGORY_MATE_CRIME);
  alerts[0].header.set_message_id(std::string(16, '\xab'));
  alerts[0].body.mutable_person()->set_family_name("O'Neill, Jr");
  alerts[0].body.mutable_incident()->set_summary("He said \"leave\".\nThen left.");
  alerts[1].header.set_kind(sghub::v1::ALERT_KIND_OUTCOME);
  alerts[1].header.set_outcome_code(sghub::v1::OUTCOME_CODE_CRIME_RECORDED);
  alerts[1].body.mutable_outcome()->set_crime_reference("CR/1");

  Result<std::string> csv = CouncilCsvExport(alerts);
  ASSERT_TRUE(csv.ok());
  const std::string& out = *csv;
  const size_t header_end = out.find("\r\n");
  ASSERT_NE(header_end, std::string::npos);
  const std::string header = out.substr(0, header_end);
  EXPECT_EQ(header.rfind("message_id,sender,created_at,kind,abuse_category,", 0), 0u);
  EXPECT_NE(out.find("\r\nabababababababababababababababab,"), std::string::npos);
  EXPECT_NE(out.find(",concern,mate_crime,"), std::string::npos);
  EXPECT_NE(out.find(",\"O'Neill, Jr\","), std::string::npos);
  EXPECT_NE(out.find(",\"He said \"\"leave\"\".\nThen left.\","), std::string::npos);
  EXPECT_NE(out.find(",crime_recorded,"), std::string::npos);
  EXPECT_NE(out.find(",CR/1,"), std::string::npos);
  EXPECT_TRUE(out.ends_with("\r\n"));
  // Three records: header + two rows (the embedded LF is inside quotes, not a record end).
  size_t records = 0;
  for (size_t at = out.find("\r\n"); at != std::string::npos; at = out.find("\r\n", at + 2)) {
    ++records;
  }
  EXPECT_EQ(records, 3u);
  EXPECT_GT(CountColumns(header), 40u);
}

TEST(CouncilCsvTest, EmptyExportIsJustTheHeader) {
  Result<std::string> csv = CouncilCsvExport({});
  ASSERT_TRUE(csv.ok());
  EXPECT_EQ(csv->find("\r\n"), csv->size() - 2);
}

}  // namespace
}  // namespace hub::codecs
