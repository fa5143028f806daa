//! The `traffic`, `surveys` and `complaints` datasets (FORMAT.md §4): typed parsing with
//! the same invalid-row rules as `sales`. Chapters 4 and 5 aggregate them.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};

use super::intern::Names;
use super::reader::{CellError, ColumnDef, Row, RowSink, Schema};
use super::values::{parse_date, parse_datetime, parse_integer};

/// Earliest and latest date of the valid rows, for `insights_quality`.
#[derive(Debug, Default, Clone, Copy)]
pub struct DateSpan {
    pub first: Option<NaiveDate>,
    pub last: Option<NaiveDate>,
}

impl DateSpan {
    fn include(&mut self, date: NaiveDate) {
        self.first = Some(self.first.map_or(date, |d| d.min(date)));
        self.last = Some(self.last.map_or(date, |d| d.max(date)));
    }
}

fn invalid(col: usize) -> impl FnOnce(String) -> CellError {
    move |message| CellError::new(col, message)
}

/// Daily visitors per channel.
#[derive(Debug, Default)]
pub struct TrafficFacts {
    date_format: Option<String>,
    pub channels: Names,
    pub visitors: HashMap<(NaiveDate, u32), i64>,
    pub span: DateSpan,
}

impl TrafficFacts {
    pub fn new(date_format: Option<String>) -> Self {
        TrafficFacts {
            date_format,
            ..Self::default()
        }
    }

    pub fn schema() -> Schema {
        Schema {
            dataset: "traffic",
            columns: vec![
                ColumnDef::required("date"),
                ColumnDef::required("channel"),
                ColumnDef::required("visitors"),
            ],
        }
    }
}

pub struct Visit<'r> {
    date: NaiveDate,
    channel: &'r str,
    visitors: i64,
}

impl RowSink for TrafficFacts {
    type Parsed<'r> = Visit<'r>;

    fn parse<'r>(&mut self, row: &Row<'r>) -> Result<Visit<'r>, CellError> {
        let date = parse_date(row.require(0)?, self.date_format.as_deref()).map_err(invalid(0))?;
        let channel = row.require(1)?;
        let visitors = parse_integer(row.require(2)?).map_err(invalid(2))?;
        if visitors < 0 {
            return Err(CellError::new(
                2,
                format!("visitors must not be negative, found {visitors}"),
            ));
        }
        Ok(Visit {
            date,
            channel,
            visitors,
        })
    }

    fn accept(&mut self, visit: Visit<'_>) {
        let channel = self.channels.intern(visit.channel);
        *self.visitors.entry((visit.date, channel)).or_default() += visit.visitors;
        self.span.include(visit.date);
    }
}

/// Survey responses: one score per satisfaction dimension and an optional 0-10 recommend.
#[derive(Debug, Default)]
pub struct SurveyFacts {
    date_format: Option<String>,
    dimensions: usize,
    pub responses: u64,
    pub span: DateSpan,
}

/// Fixed survey columns before the dimension columns.
const SURVEY_FIXED: usize = 4;

impl SurveyFacts {
    pub fn new(date_format: Option<String>, dimensions: usize) -> Self {
        SurveyFacts {
            date_format,
            dimensions,
            ..Self::default()
        }
    }

    pub fn schema(dimensions: &[String]) -> Schema {
        let mut columns = vec![
            ColumnDef::required("date"),
            ColumnDef::optional("customer_id"),
            ColumnDef::optional("channel"),
            ColumnDef::optional("recommend"),
        ];
        columns.extend(dimensions.iter().map(|d| ColumnDef::required(d)));
        Schema {
            dataset: "surveys",
            columns,
        }
    }
}

pub struct Response {
    date: NaiveDate,
}

impl RowSink for SurveyFacts {
    type Parsed<'r> = Response;

    fn parse<'r>(&mut self, row: &Row<'r>) -> Result<Response, CellError> {
        let date = parse_date(row.require(0)?, self.date_format.as_deref()).map_err(invalid(0))?;
        if let Some(text) = row.get(3) {
            let score = parse_integer(text).map_err(invalid(3))?;
            if !(0..=10).contains(&score) {
                return Err(CellError::new(
                    3,
                    format!("recommend must be 0-10, found {score}"),
                ));
            }
        }
        for col in SURVEY_FIXED..SURVEY_FIXED + self.dimensions {
            if let Some(text) = row.get(col) {
                let score = parse_integer(text).map_err(invalid(col))?;
                if !(1..=5).contains(&score) {
                    return Err(CellError::new(
                        col,
                        format!("scores must be 1-5, found {score}"),
                    ));
                }
            }
        }
        Ok(Response { date })
    }

    fn accept(&mut self, response: Response) {
        self.responses += 1;
        self.span.include(response.date);
    }
}

/// Complaints with their response and resolution times.
#[derive(Debug, Default)]
pub struct ComplaintFacts {
    pub complaints: u64,
    pub span: DateSpan,
}

impl ComplaintFacts {
    pub fn schema() -> Schema {
        Schema {
            dataset: "complaints",
            columns: vec![
                ColumnDef::required("id"),
                ColumnDef::required("opened_at"),
                ColumnDef::optional("first_response_at"),
                ColumnDef::optional("resolved_at"),
                ColumnDef::required("category"),
                ColumnDef::optional("channel"),
            ],
        }
    }
}

pub struct Complaint {
    opened_at: NaiveDateTime,
}

impl RowSink for ComplaintFacts {
    type Parsed<'r> = Complaint;

    fn parse<'r>(&mut self, row: &Row<'r>) -> Result<Complaint, CellError> {
        row.require(0)?;
        let opened_at = parse_datetime(row.require(1)?).map_err(invalid(1))?;
        for (col, what) in [(2, "first response"), (3, "resolution")] {
            if let Some(text) = row.get(col) {
                let at = parse_datetime(text).map_err(invalid(col))?;
                if at < opened_at {
                    return Err(CellError::new(
                        col,
                        format!("{what} at {at} is before the complaint was opened ({opened_at})"),
                    ));
                }
            }
        }
        row.require(4)?;
        Ok(Complaint { opened_at })
    }

    fn accept(&mut self, complaint: Complaint) {
        self.complaints += 1;
        self.span.include(complaint.opened_at.date());
    }
}
