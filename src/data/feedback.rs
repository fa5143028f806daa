//! The `traffic`, `surveys` and `complaints` datasets (FORMAT.md §4): typed parsing with
//! the same invalid-row rules as `sales`. Chapters 4 and 5 aggregate them.

use std::collections::BTreeMap;

use super::hashing::FastMap;

use chrono::{Datelike, NaiveDate, NaiveDateTime};

use super::intern::Names;
use super::reader::{CellError, ColumnDef, Row, Schema, Sink};
use super::values::{parse_date, parse_datetime, parse_integer};
use crate::period::DateRange;

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
    pub visitors: FastMap<(NaiveDate, u32), i64>,
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

impl Sink for TrafficFacts {
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

/// Survey responses: one score per satisfaction dimension and an optional 0-10 recommend,
/// aggregated over the trailing twelve months.
#[derive(Debug, Default)]
pub struct SurveyFacts {
    date_format: Option<String>,
    ttm: Option<DateRange>,
    /// Per dimension, in customers.yaml order.
    pub dimensions: Vec<ScoreTally>,
    /// NPS tallies by segment: all, each channel, each calendar quarter.
    pub nps: BTreeMap<NpsSegment, NpsTally>,
    pub span: DateSpan,
}

/// Responses, sum and satisfied count (score ≥ 4) of one dimension.
#[derive(Debug, Default, Clone, Copy)]
pub struct ScoreTally {
    pub responses: u64,
    pub sum: i64,
    pub satisfied: u64,
}

/// Who an NPS figure covers, in the order customers_nps lists them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum NpsSegment {
    All,
    Channel(String),
    Quarter(i32, u32),
}

/// Recommend scores split into promoters (9-10), passives (7-8) and detractors (0-6).
#[derive(Debug, Default, Clone, Copy)]
pub struct NpsTally {
    pub responses: u64,
    pub promoters: u64,
    pub passives: u64,
    pub detractors: u64,
}

/// Fixed survey columns before the dimension columns.
const SURVEY_FIXED: usize = 4;

impl SurveyFacts {
    pub fn new(date_format: Option<String>, dimensions: usize, ttm: Option<DateRange>) -> Self {
        SurveyFacts {
            date_format,
            ttm,
            dimensions: vec![ScoreTally::default(); dimensions],
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

pub struct Response<'r> {
    date: NaiveDate,
    channel: Option<&'r str>,
    recommend: Option<i64>,
    scores: Vec<Option<i64>>,
}

impl Sink for SurveyFacts {
    type Parsed<'r> = Response<'r>;

    fn parse<'r>(&mut self, row: &Row<'r>) -> Result<Response<'r>, CellError> {
        let date = parse_date(row.require(0)?, self.date_format.as_deref()).map_err(invalid(0))?;
        let recommend = match row.get(3) {
            Some(text) => {
                let score = parse_integer(text).map_err(invalid(3))?;
                if !(0..=10).contains(&score) {
                    return Err(CellError::new(
                        3,
                        format!("recommend must be 0-10, found {score}"),
                    ));
                }
                Some(score)
            }
            None => None,
        };
        let mut scores = Vec::with_capacity(self.dimensions.len());
        for col in SURVEY_FIXED..SURVEY_FIXED + self.dimensions.len() {
            // A missing dimension score is just missing (§9).
            scores.push(match row.get(col) {
                Some(text) => {
                    let score = parse_integer(text).map_err(invalid(col))?;
                    if !(1..=5).contains(&score) {
                        return Err(CellError::new(
                            col,
                            format!("scores must be 1-5, found {score}"),
                        ));
                    }
                    Some(score)
                }
                None => None,
            });
        }
        Ok(Response {
            date,
            channel: row.get(2),
            recommend,
            scores,
        })
    }

    fn accept(&mut self, response: Response<'_>) {
        self.span.include(response.date);
        if !self.ttm.is_some_and(|t| t.contains(response.date)) {
            return;
        }
        for (tally, score) in self.dimensions.iter_mut().zip(&response.scores) {
            if let Some(score) = *score {
                tally.responses += 1;
                tally.sum += score;
                tally.satisfied += u64::from(score >= 4);
            }
        }
        if let Some(recommend) = response.recommend {
            let quarter = NpsSegment::Quarter(response.date.year(), response.date.month0() / 3 + 1);
            let mut segments = vec![NpsSegment::All, quarter];
            if let Some(channel) = response.channel {
                segments.push(NpsSegment::Channel(channel.to_string()));
            }
            for segment in segments {
                let tally = self.nps.entry(segment).or_default();
                tally.responses += 1;
                match recommend {
                    9..=10 => tally.promoters += 1,
                    7..=8 => tally.passives += 1,
                    _ => tally.detractors += 1,
                }
            }
        }
    }
}

/// Complaints opened in the trailing twelve months, with their response and resolution
/// times (kept one by one: the median response time needs them all; complaint files are
/// small).
#[derive(Debug, Default)]
pub struct ComplaintFacts {
    ttm: Option<DateRange>,
    pub complaints: Vec<ComplaintRecord>,
    pub span: DateSpan,
}

/// One complaint, times in UTC.
#[derive(Debug, Clone)]
pub struct ComplaintRecord {
    pub category: String,
    pub opened: NaiveDateTime,
    pub first_response: Option<NaiveDateTime>,
    pub resolved: Option<NaiveDateTime>,
}

impl ComplaintFacts {
    pub fn new(ttm: Option<DateRange>) -> Self {
        ComplaintFacts {
            ttm,
            ..Self::default()
        }
    }

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

impl Sink for ComplaintFacts {
    type Parsed<'r> = ComplaintRecord;

    fn parse<'r>(&mut self, row: &Row<'r>) -> Result<ComplaintRecord, CellError> {
        row.require(0)?;
        let opened = parse_datetime(row.require(1)?).map_err(invalid(1))?;
        let mut times = [None, None];
        for (slot, (col, what)) in times
            .iter_mut()
            .zip([(2, "first response"), (3, "resolution")])
        {
            if let Some(text) = row.get(col) {
                let at = parse_datetime(text).map_err(invalid(col))?;
                if at < opened {
                    return Err(CellError::new(
                        col,
                        format!("{what} at {at} (UTC) is before the complaint was opened ({opened} UTC)"),
                    ));
                }
                *slot = Some(at);
            }
        }
        Ok(ComplaintRecord {
            category: row.require(4)?.to_string(),
            opened,
            first_response: times[0],
            resolved: times[1],
        })
    }

    fn accept(&mut self, complaint: ComplaintRecord) {
        self.span.include(complaint.opened.date());
        if self
            .ttm
            .is_some_and(|t| t.contains(complaint.opened.date()))
        {
            self.complaints.push(complaint);
        }
    }
}
