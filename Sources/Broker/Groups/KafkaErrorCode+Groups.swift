extension KafkaErrorCode {
    /// 81 GROUP_MAX_SIZE_REACHED: the group already holds `group.max.size` members.
    /// Not yet in `KafkaErrorCode.table`, so its `name` reads UNKNOWN_CODE_81 until it is added there.
    public static let groupMaxSizeReached = KafkaErrorCode(rawValue: 81)
}
