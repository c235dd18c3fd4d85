from kafka import KafkaProducer
import json
producer = KafkaProducer(bootstrap_servers='localhost:9092')
producer.send('website-logs', key=b'alice', value=bytes(json.dumps({'name': 'Alice', 'age': 25}), encoding='utf-8'))
producer.flush()
