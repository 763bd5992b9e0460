"""Concert Data Platform - raw-to-curated ETL (AWS Glue 4.0, PySpark).

Reads the raw tables the crawler maintains in the Glue database (raw_concert_events,
raw_artist_data, raw_venue_data; newline-delimited JSON delivered by Firehose), validates and
normalises them, and writes Parquet to the curated/ prefix of the processed-data bucket, where
the curated_* Glue tables declared by 02-storage-processing.yaml point. Redshift Serverless
reads the curated tables through a Spectrum external schema.

Concert events are incremental (job bookmarks); artists and venues are small dimensions that
are rebuilt from the full raw history on every run (latest record per id wins).

Rejected records are counted and logged on one line starting with DATA_QUALITY_REJECTED; the
tracing stack turns those lines into the DataQualityRejections metric.

Upload: aws s3 cp glue/concert_etl.py s3://<ProcessedDataBucketName>/glue/scripts/concert_etl.py
"""
import sys

import boto3
from awsglue.context import GlueContext
from awsglue.job import Job
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as F
from pyspark.sql.types import StructType

args = getResolvedOptions(sys.argv, ["JOB_NAME", "DATABASE_NAME", "PROCESSED_BUCKET"])
DATABASE = args["DATABASE_NAME"]
CURATED = f"s3://{args['PROCESSED_BUCKET']}/curated"

sc = SparkContext.getOrCreate()
glue_context = GlueContext(sc)
spark = glue_context.spark_session
logger = glue_context.get_logger()
job = Job(glue_context)
job.init(args["JOB_NAME"], args)

EVENT_TYPES = ["ticket_sale", "concert_scheduled", "concert_cancelled"]
PARTITION_COLUMNS = ["year", "month", "day", "hour"]


glue_client = boto3.client("glue")


def read_raw(table: str, incremental: bool) -> DataFrame:
    """Raw table as a DataFrame; empty when the crawler has not created the table yet."""
    try:
        glue_client.get_table(DatabaseName=DATABASE, Name=table)
    except glue_client.exceptions.EntityNotFoundException:
        logger.warn(f"table={table} not in the catalog yet; nothing to process")
        return spark.createDataFrame([], StructType([]))
    options = {"database": DATABASE, "table_name": table}
    if incremental:
        options["transformation_ctx"] = f"read_{table}"
    frame = glue_context.create_dynamic_frame.from_catalog(**options)
    df = frame.toDF()
    return df.drop(*[c for c in PARTITION_COLUMNS if c in df.columns])


def report_rejects(name: str, total: int, valid: int) -> None:
    rejected = total - valid
    if rejected > 0:
        logger.warn(f"DATA_QUALITY_REJECTED table={name} rejected={rejected} total={total}")
    logger.info(f"table={name} total={total} valid={valid}")


def ensure_columns(df: DataFrame, columns: list) -> DataFrame:
    for name in columns:
        if name not in df.columns:
            df = df.withColumn(name, F.lit(None).cast("string"))
    return df


def latest_per_key(df: DataFrame, key: str) -> DataFrame:
    window = Window.partitionBy(key).orderBy(F.col("updated_at").desc())
    return df.withColumn("_rank", F.row_number().over(window)).filter("_rank = 1").drop("_rank")


# Concert events (incremental).
events = ensure_columns(
    read_raw("raw_concert_events", incremental=True),
    ["event_id", "event_type", "concert_id", "artist_id", "venue_id", "event_date",
     "ticket_count", "ticket_price", "timestamp"],
)
events_total = events.count()
if events_total > 0:
    curated_events = (
        events.select(
            F.col("event_id").cast("string").alias("event_id"),
            F.lower(F.col("event_type").cast("string")).alias("event_type"),
            F.col("concert_id").cast("string").alias("concert_id"),
            F.col("artist_id").cast("string").alias("artist_id"),
            F.col("venue_id").cast("string").alias("venue_id"),
            F.to_date(F.col("event_date").cast("string")).alias("event_date"),
            F.coalesce(F.col("ticket_count").cast("int"), F.lit(0)).alias("ticket_count"),
            F.col("ticket_price").cast("double").alias("ticket_price"),
            F.to_timestamp(F.col("timestamp").cast("string")).alias("event_ts"),
        )
        .filter(
            F.col("event_id").isNotNull()
            & F.col("concert_id").isNotNull()
            & F.col("artist_id").isNotNull()
            & F.col("venue_id").isNotNull()
            & F.col("event_date").isNotNull()
            & F.col("event_type").isin(EVENT_TYPES)
            & (F.col("ticket_count") >= 0)
        )
        .dropDuplicates(["event_id"])
    )
    curated_events.cache()
    report_rejects("concert_events", events_total, curated_events.count())
    curated_events.write.mode("append").parquet(f"{CURATED}/concert_events/")

# Artists (full rebuild).
artists = ensure_columns(
    read_raw("raw_artist_data", incremental=False),
    ["artist_id", "name", "genre", "popularity_score", "timestamp"],
)
artists_total = artists.count()
if artists_total > 0:
    valid_artists = artists.select(
        F.col("artist_id").cast("string").alias("artist_id"),
        F.col("name").cast("string").alias("name"),
        F.lower(F.col("genre").cast("string")).alias("genre"),
        F.col("popularity_score").cast("double").alias("popularity_score"),
        F.to_timestamp(F.col("timestamp").cast("string")).alias("updated_at"),
    ).filter(
        F.col("artist_id").isNotNull()
        & F.col("name").isNotNull()
        & F.col("popularity_score").between(0, 100)
    )
    valid_artists.cache()
    report_rejects("artists", artists_total, valid_artists.count())
    latest_per_key(valid_artists, "artist_id").write.mode("overwrite").parquet(f"{CURATED}/artists/")

# Venues (full rebuild).
venues = ensure_columns(
    read_raw("raw_venue_data", incremental=False),
    ["venue_id", "name", "city", "capacity", "timestamp"],
)
venues_total = venues.count()
if venues_total > 0:
    valid_venues = venues.select(
        F.col("venue_id").cast("string").alias("venue_id"),
        F.col("name").cast("string").alias("name"),
        F.col("city").cast("string").alias("city"),
        F.col("capacity").cast("int").alias("capacity"),
        F.to_timestamp(F.col("timestamp").cast("string")).alias("updated_at"),
    ).filter(
        F.col("venue_id").isNotNull() & F.col("name").isNotNull() & (F.col("capacity") > 0)
    )
    valid_venues.cache()
    report_rejects("venues", venues_total, valid_venues.count())
    latest_per_key(valid_venues, "venue_id").write.mode("overwrite").parquet(f"{CURATED}/venues/")

job.commit()
